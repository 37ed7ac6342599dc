package classify

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// maxLine bounds one line of a data file.
const maxLine = 1 << 20

// Default label names: a label that is one of these is positive or
// negative without being told (`--positive` names another).
var (
	positiveLabels = []string{"1", "true", "positive", "offensive", "subjective"}
	negativeLabels = []string{"0", "false", "negative", "not-offensive", "objective"}
)

// ReadFile reads labelled examples. A file named X_text.txt is a TweetEval
// split: one text per line, and the labels, one per line, in X_labels.txt
// beside it. Any other file is JSON Lines of {"text": ..., "label": ...},
// the label a string, number or boolean. positive names the positive label;
// empty accepts the usual names (1, true, positive, offensive, subjective
// against 0, false, negative, not-offensive, objective).
func ReadFile(path, positive string) ([]Example, error) {
	if base, ok := strings.CutSuffix(path, "_text.txt"); ok {
		return readTweetEval(path, base+"_labels.txt", positive)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadJSONL(path, f, positive)
}

// labeler turns label values into classes, refusing a third value.
type labeler struct {
	positive string
	seen     map[string]bool
}

func (l *labeler) class(v string) (bool, error) {
	if l.positive == "" {
		for _, p := range positiveLabels {
			if strings.EqualFold(v, p) {
				return true, nil
			}
		}
		for _, n := range negativeLabels {
			if strings.EqualFold(v, n) {
				return false, nil
			}
		}
		return false, fmt.Errorf("label %q is not a known name of either class; name the positive one (--positive)", v)
	}
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	l.seen[v] = true
	if len(l.seen) > 2 {
		return false, fmt.Errorf("label %q: a third label; a model has two classes", v)
	}
	return v == l.positive, nil
}

// ReadJSONL reads JSON Lines of {"text", "label"}; blank lines are skipped,
// anything else wrong is an error naming the line.
func ReadJSONL(name string, r io.Reader, positive string) ([]Example, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	lb := labeler{positive: positive}
	var out []Example
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var rec struct {
			Text  *string         `json:"text"`
			Label json.RawMessage `json:"label"`
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rec); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, n, err)
		}
		if dec.More() {
			return nil, fmt.Errorf("%s:%d: data after the JSON object", name, n)
		}
		if rec.Text == nil || rec.Label == nil {
			return nil, fmt.Errorf("%s:%d: want {\"text\": ..., \"label\": ...}", name, n)
		}
		var label string
		var s string
		var b bool
		var num json.Number
		switch {
		case json.Unmarshal(rec.Label, &s) == nil:
			label = s
		case json.Unmarshal(rec.Label, &b) == nil:
			label = strconv.FormatBool(b)
		case json.Unmarshal(rec.Label, &num) == nil:
			label = num.String()
		default:
			return nil, fmt.Errorf("%s:%d: label %s is not a string, number or boolean", name, n, rec.Label)
		}
		c, err := lb.class(label)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, n, err)
		}
		out = append(out, Example{Text: *rec.Text, Label: c})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no examples", name)
	}
	return out, nil
}

// readTweetEval reads a text file and its labels file, line by line.
func readTweetEval(textPath, labelPath, positive string) ([]Example, error) {
	texts, err := readLines(textPath)
	if err != nil {
		return nil, err
	}
	labels, err := readLines(labelPath)
	if err != nil {
		return nil, fmt.Errorf("the labels of %s: %w", textPath, err)
	}
	if len(texts) != len(labels) {
		return nil, fmt.Errorf("%s has %d lines but %s has %d", textPath, len(texts), labelPath, len(labels))
	}
	lb := labeler{positive: positive}
	out := make([]Example, len(texts))
	for i := range texts {
		c, err := lb.class(strings.TrimSpace(labels[i]))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", labelPath, i+1, err)
		}
		out[i] = Example{Text: texts[i], Label: c}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no examples", textPath)
	}
	return out, nil
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var lines []string
	for n := 1; sc.Scan(); n++ {
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return lines, nil
}

// WriteJSONL writes examples as JSON Lines of {"text", "label"} with labels
// 1 and 0.
func WriteJSONL(w io.Writer, examples []Example) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, e := range examples {
		l := 0
		if e.Label {
			l = 1
		}
		if err := enc.Encode(struct {
			Text  string `json:"text"`
			Label int    `json:"label"`
		}{e.Text, l}); err != nil {
			return err
		}
	}
	return bw.Flush()
}
