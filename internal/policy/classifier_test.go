package policy

import (
	"path/filepath"
	"strings"
	"testing"
)

const classifierOverlay = `overlay: {id: models, version: 1, base: test-pack}
models:
  offensive-en: models/our-offensive.hmdl
  tone-fr: /srv/herald/tone-fr.hmdl
rules:
  - id: trolls.abuse
    classifier: {model: offensive-en, threshold: 0.7, agree: 0.3}
add_rules:
  - id: local.tone
    clause: 3.4(p)
    severity: advice
    detect:
      classifier: {model: tone-fr, threshold: 0.8}
    message: {en: Tone., fr: Ton., es: Tono.}
    examples:
      fire: ["Bande d'idiots"]
      pass: ["Merci"]
`

func TestClassifierOverlay(t *testing.T) {
	base, err := Load("testdata/pack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ApplyOverlay(base, filepath.Join("conf", "overlay.yaml"), []byte(classifierOverlay))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Models["offensive-en"]; got != filepath.Join("conf", "models", "our-offensive.hmdl") {
		t.Errorf("a relative model path reads %q, want it beside the overlay", got)
	}
	if got := p.Models["tone-fr"]; got != "/srv/herald/tone-fr.hmdl" {
		t.Errorf("an absolute model path reads %q", got)
	}
	for _, r := range p.Rules {
		switch r.ID {
		case "trolls.abuse":
			if c := r.Detect.Classifier; c == nil || c.Model != "offensive-en" || c.Agree != 0.3 || len(r.Detect.Terms) == 0 {
				t.Errorf("trolls.abuse detect %+v", r.Detect)
			}
		case "local.tone":
			if c := r.Detect.Classifier; c == nil || c.Threshold != 0.8 {
				t.Errorf("local.tone classifier %+v", c)
			}
		}
	}
	if len(base.Models) != 0 {
		t.Errorf("the overlay changed its base's models: %v", base.Models)
	}
	for _, r := range base.Rules {
		if r.Detect.Classifier != nil {
			t.Errorf("the overlay gave the base's rule %s a classifier", r.ID)
		}
	}
}

func TestClassifierValidation(t *testing.T) {
	base, err := Load("testdata/pack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ detect, want string }{
		{`{classifier: {model: tone, agree: 0.2}}`, "agree applies beside terms only"},
		{`{terms: {en: [x]}, classifier: {model: tone, threshold: 0.5, agree: 0.6}}`, "is above classifier.threshold"},
		{`{classifier: {model: Tone}}`, "is not a model name"},
		{`{classifier: {model: tone, threshold: 1.5}}`, "scores from 0 to 1"},
		{`{patterns: [{anchors: [x], regex: x}], classifier: {model: tone}}`, "exactly one of terms, patterns, builtin, frames, classifier"},
		{`{on: images, builtin: image-gps, classifier: {model: tone}}`, "reads text or reply_to"},
		{`{classifier: {model: tone, limit: 3}}`, `unknown key "limit"`},
		{`{classifier: {model: tone, threshold: 0.5, combine: tone}}`, "is not the name of a second model"},
		{`{classifier: {model: tone, combine: problem}}`, "combine needs a threshold"},
		{`{classifier: {model: tone, rivals: 1.5}}`, "rivals must be a share from 0 to 1"},
		{`{classifier: {model: tone, rivals: -0.25}}`, "rivals must be a share from 0 to 1"},
	} {
		ov := strings.Replace(classifierOverlay, `classifier: {model: tone-fr, threshold: 0.8}`, c.detect, 1)
		ov = strings.Replace(ov, "    detect:\n      "+c.detect, "    detect: "+c.detect, 1)
		_, err := ApplyOverlay(base, "overlay.yaml", []byte(ov))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("detect %s: error %v, want %q", c.detect, err, c.want)
		}
	}
	if _, err := ApplyOverlay(base, "overlay.yaml", []byte(strings.Replace(classifierOverlay, "tone-fr: /srv", "Tone_FR: /srv", 1))); err == nil || !strings.Contains(err.Error(), "want a model name") {
		t.Errorf("a bad model name in models: %v", err)
	}
}
