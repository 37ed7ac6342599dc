// Package model holds the domain types shared by every package above the store.
// It has no behaviour beyond small helpers and imports nothing of the project.
package model

// Draft is the input of a check: one post as its author would publish it.
// Its JSON form is a contract (docs/ARCHITECTURE.md).
type Draft struct {
	ID       string       `json:"id,omitempty"`
	Text     string       `json:"text"`
	Platform string       `json:"platform,omitempty"`
	Account  DraftAccount `json:"account"`
	ReplyTo  string       `json:"reply_to,omitempty"`
	Images   []string     `json:"images,omitempty"`
	// Lang asks for messages in this language (en, fr, es). Empty means the
	// language the post is written in, as far as the checker can tell.
	Lang string `json:"lang,omitempty"`
}

// DraftAccount says who would publish the draft.
type DraftAccount struct {
	Kind    string   `json:"kind,omitempty"` // corporate|country-office|project|personal
	Handle  string   `json:"handle,omitempty"`
	Project *Project `json:"project,omitempty"`
}

// Project describes the project behind a project account (policy 4.4).
type Project struct {
	Name     string   `json:"name"`
	Keywords []string `json:"keywords,omitempty"`
	EndDate  string   `json:"end_date,omitempty"` // YYYY-MM-DD
}

// Account kinds. Personal accounts are never registered; they only appear in checks.
const (
	KindCorporate     = "corporate"
	KindCountryOffice = "country-office"
	KindProject       = "project"
	KindPersonal      = "personal"
)

// Severities, from most to least serious.
const (
	SeverityError   = "error"   // must change before posting
	SeverityWarning = "warning" // a person must look
	SeverityAdvice  = "advice"
)

// SeverityRank orders severities: error 3, warning 2, advice 1, anything
// else 0.
func SeverityRank(s string) int {
	switch s {
	case SeverityError:
		return 3
	case SeverityWarning:
		return 2
	case SeverityAdvice:
		return 1
	}
	return 0
}

// Report is the result of checking one Draft. Its JSON form is a contract.
type Report struct {
	ID       string        `json:"id,omitempty"`
	Pack     PackRef       `json:"pack"`
	Platform PlatformUsage `json:"platform"`
	Findings []Finding     `json:"findings"`
	// Truncated counts the findings left out by the pack's caps
	// (parameters.findings); absent when none were.
	Truncated int `json:"truncated,omitempty"`
	// Lang is the language the messages are written in; empty when there
	// are no findings.
	Lang string `json:"lang,omitempty"`
}

// PackRef names the policy pack a report was made with.
type PackRef struct {
	ID      string `json:"id"`
	Version string `json:"version"`
}

// PlatformUsage is the draft's length as the platform counts it.
type PlatformUsage struct {
	Name   string `json:"name"`
	Length int    `json:"length"`
	Limit  int    `json:"limit"`
}

// Finding is one place where a draft departs from the policy.
// Start and End are byte offsets into Draft.Text; both are 0 for findings
// about the whole post or about an image.
type Finding struct {
	Rule       string `json:"rule"`
	Clause     string `json:"clause"`
	Severity   string `json:"severity"`
	Start      int    `json:"start"`
	End        int    `json:"end"`
	Excerpt    string `json:"excerpt,omitempty"`
	Message    string `json:"message"`
	Suggestion string `json:"suggestion,omitempty"`
	// Image is set for findings about an attached image (index into Draft.Images).
	Image *int `json:"image,omitempty"`
	// Classifier is set when a trained model judged the text for the rule.
	Classifier *ClassifierScore `json:"classifier,omitempty"`
}

// ClassifierScore is what a trained model said about a text: its score
// (0 to 1) and the words that weighed most toward it, heaviest first.
type ClassifierScore struct {
	Model string   `json:"model"`
	Score float64  `json:"score"`
	Words []string `json:"words,omitempty"`
}

// HasErrors reports whether any finding has error severity.
func (r Report) HasErrors() bool {
	for _, f := range r.Findings {
		if f.Severity == SeverityError {
			return true
		}
	}
	return false
}
