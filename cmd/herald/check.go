package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/herald-gov/herald/internal/model"
)

// maxPostBytes bounds a post read by `herald check FILE`.
const maxPostBytes = 64 << 20

// runCheck is `herald check`: one draft from FILE or stdin, or with
// --jsonl one draft per line.
func runCheck(ctx context.Context, env Env, args []string) error {
	fs := newFlags("check", env)
	var (
		d                 model.Draft
		project           string
		keywords, images  listFlag
		packPath, overlay string
		format, jsonl     string
		explain           bool
		explainRule       string
	)
	fs.StringVar(&d.Platform, "platform", "", "platform the post is for: x, mastodon, bluesky, threads, linkedin, facebook, instagram, youtube")
	fs.StringVar(&d.Account.Kind, "account-kind", "", "account kind: corporate, country-office, project, personal (default personal)")
	fs.StringVar(&d.Account.Handle, "handle", "", "account handle")
	fs.StringVar(&project, "project", "", "project name, for a project account")
	fs.Var(&keywords, "keyword", "project keyword (repeatable)")
	fs.StringVar(&d.ReplyTo, "reply-to", "", "text of the message the post answers")
	fs.Var(&images, "image", "image attached to the post (repeatable)")
	fs.StringVar(&d.Lang, "lang", "", "language of the messages: en, fr, es (default: the post's)")
	fs.StringVar(&packPath, "pack", "", "policy pack file (default: the embedded pack)")
	fs.StringVar(&overlay, "overlay", "", "overlay file applied on top of the pack")
	fs.StringVar(&format, "format", "text", "output: text or json")
	fs.BoolVar(&explain, "explain", false, "print, for each finding, the concepts and spans that made it")
	fs.StringVar(&explainRule, "explain-rule", "", "print why the rule `ID` fired or did not, sentence by sentence (implies --explain)")
	fs.StringVar(&jsonl, "jsonl", "", "read one draft JSON per line from `FILE` ('-' for stdin), write one report per line")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: herald check [flags] [FILE|-]\n       herald check --jsonl FILE|-\n\n"+
			"Checks a draft post (FILE, or stdin) against the policy pack. Exit status:\n"+
			"0 no finding of severity error, 1 at least one, 2 bad usage or input.\n\nFlags:")
		fs.PrintDefaults()
	}
	pos, help, err := parseInterspersed(fs, args)
	if help || err != nil {
		return err
	}
	if format != "text" && format != "json" {
		return usageError("--format must be text or json, not %q", format)
	}
	c, err := loadChecker(packPath, overlay)
	if err != nil {
		return err
	}
	if jsonl != "" {
		if len(pos) > 0 {
			return usageError("--jsonl takes its input as its value; unexpected %q", pos[0])
		}
		in, closeIn, err := openInput(env, jsonl)
		if err != nil {
			return err
		}
		defer closeIn()
		return checkJSONL(ctx, c, in, env.Stdout)
	}
	if len(pos) > 1 {
		return usageError("want at most one FILE, got %d", len(pos))
	}
	name := "-"
	if len(pos) == 1 {
		name = pos[0]
	}
	in, closeIn, err := openInput(env, name)
	if err != nil {
		return err
	}
	defer closeIn()
	text, err := io.ReadAll(io.LimitReader(in, maxPostBytes+1))
	if err != nil {
		return usageError("reading %s: %v", name, err)
	}
	if len(text) > maxPostBytes {
		return usageError("%s is larger than %d bytes", name, maxPostBytes)
	}
	d.Text = string(text)
	d.Images = images
	if project != "" || len(keywords) > 0 {
		d.Account.Project = &model.Project{Name: project, Keywords: keywords}
	}
	if err := c.Validate(d); err != nil {
		return usageError("%v", err)
	}
	if explain || explainRule != "" {
		if format == "json" {
			return usageError("--explain prints for people; it does not combine with --format json")
		}
		ex := c.Explain(d, explainRule)
		writeExplanation(env.Stdout, c, d, ex)
		if ex.Report.HasErrors() {
			return exitFindings
		}
		return nil
	}
	rep := c.Check(d)
	if format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		writeReport(env.Stdout, c, d, rep, useColour(env))
	}
	if rep.HasErrors() {
		return exitFindings
	}
	return nil
}

// openInput opens a file, or stdin for "-".
func openInput(env Env, name string) (io.Reader, func(), error) {
	if name == "-" {
		return env.Stdin, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, usageError("%v", err)
	}
	return f, func() { f.Close() }, nil
}
