package model

import "time"

// Statuses of a stored draft (an official statement on its way to publication).
const (
	DraftDraft            = "draft"
	DraftInReview         = "in-review"
	DraftChangesRequested = "changes-requested"
	DraftApproved         = "approved"
	DraftRejected         = "rejected"
	DraftPublished        = "published"
)

// StoredDraft is a post for an institutional account, kept while it is
// written, reviewed and published. (Draft is the checker's input.)
type StoredDraft struct {
	ID        int64
	AccountID int64
	AuthorID  int64
	Text      string
	Platform  string   // the account's platform
	Checklist []string // ids of the pack's checklist items the author ticked
	Version   int      // 1 at creation, +1 on every edit
	Status    string
	Step      int    // review step waiting for a decision (1-based) while in review, else 0
	StepWho   string // who decides Step: ReviewerOfficeLead | ReviewerCommunications
	Escalated bool   // an approver asked for the optional steps
	// Report is the last check of the text; ReportVersion the draft version it checked.
	Report        *Report
	ReportVersion int
	// Diff is what changed at the last re-check after a pack change; nil when none.
	Diff            *ReportDiff
	Images          []DraftImage
	CreatedAt       time.Time
	UpdatedAt       time.Time
	SubmittedAt     *time.Time // when it last entered review (the queue's order)
	ApprovedAt      *time.Time // final approval of ApprovedVersion; void when Version differs
	ApprovedVersion int
	PublishedAt     *time.Time
	PublishedURL    string
}

// ReportDiff is what a re-check under a new pack version changed.
type ReportDiff struct {
	From    PackRef   `json:"from"`
	To      PackRef   `json:"to"`
	Added   []Finding `json:"added"`
	Removed []Finding `json:"removed"`
	At      time.Time `json:"at"`
}

// DraftImage is a photo attached to a draft. The original and the stripped
// copy live under the data directory named by ID; only the copy is published.
type DraftImage struct {
	ID          string // random hex, the file name; never user input
	DraftID     int64
	Name        string // the uploader's file name, for display only
	Format      string // "jpeg" | "png", by content
	Size        int64  // bytes of the stripped copy
	Findings    []Finding
	ShowsPeople bool
	Consent     *Consent // required before submit when ShowsPeople (3.4(h))
	UploadedBy  int64
	UploadedAt  time.Time
}

// Consent is the author's attestation that the people shown agreed.
type Consent struct {
	GivenBy    string    `json:"given_by"`    // who gave consent (names or a description)
	Recorded   string    `json:"recorded"`    // how it is recorded (signed form ref, e-mail, ...)
	AttestedBy int64     `json:"attested_by"` // the user who attested
	AttestedAt time.Time `json:"attested_at"`
}

// Kinds of draft events (the timeline the author sees).
const (
	DraftEventCreate         = "create"
	DraftEventEdit           = "edit"
	DraftEventSubmit         = "submit"
	DraftEventComment        = "comment"
	DraftEventApprove        = "approve" // one step approved (Step says which)
	DraftEventRequestChanges = "request-changes"
	DraftEventReject         = "reject"
	DraftEventRecheck        = "recheck"
	DraftEventImage          = "image"
	DraftEventPublish        = "publish"
)

// DraftEvent is one step of a draft's life.
type DraftEvent struct {
	ID         int64
	DraftID    int64
	Version    int // the draft version it concerns
	Kind       string
	Step       int // review step for decisions, else 0
	ActorID    int64
	ActorEmail string
	Comment    string
	// Start and End anchor a comment to a byte range of the text of Version; nil when unanchored.
	Start, End *int
	Override   bool // an approval over error findings; Comment holds the reason
	At         time.Time
}

// Who may take a review step.
const (
	ReviewerOfficeLead     = "office-lead"    // a lead of the account's office (or an admin)
	ReviewerCommunications = "communications" // role reviewer or admin
)

// ReviewStep is one step of a review route.
type ReviewStep struct {
	Who string `json:"who"`
	// Optional steps run only when the approver of the step before asks
	// for them (Decision.Escalate).
	Optional bool `json:"optional,omitempty"`
}

// ReviewRoute says who reviews drafts for accounts of one kind.
type ReviewRoute struct {
	Kind  string       `json:"kind"`
	Steps []ReviewStep `json:"steps"`
}

// Advice kinds (3.4(r)).
const (
	AdvicePersonal      = "personal"
	AdviceInstitutional = "institutional"
)

// AdviceQuestion is a staff member's question about a post they would write.
type AdviceQuestion struct {
	ID            int64
	AskerID       int64
	AskerEmail    string
	Kind          string // personal | institutional
	Platform      string // optional
	Text          string // the draft text
	Question      string
	CreatedAt     time.Time
	FirstAnswerAt *time.Time // first answer by someone other than the asker
	Answers       []AdviceAnswer
}

// AdviceAnswer is one message in an advice thread.
type AdviceAnswer struct {
	ID          int64
	QuestionID  int64
	AuthorID    int64
	AuthorEmail string
	Body        string
	At          time.Time
}
