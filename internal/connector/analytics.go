package connector

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
)

// Analytics files are the path where no API access exists: the CSV exports
// communications teams download. ImportAnalytics reads one into a preview;
// the caller shows Problems and must commit nothing when there is any, so a
// file is imported whole or not at all.

// Problem is one thing wrong with a row: its line in the file (1 is the
// header), the column's header as written (empty for the whole row) and why.
type Problem struct {
	Line    int
	Column  string
	Message string // in English
	Key     string // the i18n catalog's key of Message, with its Args (Text)
	Args    []any
}

// problem is the problem key of the catalogs at line and column.
func problem(line int, column, key string, args ...any) Problem {
	return Problem{Line: line, Column: column, Message: i18n.T("en", key, args...), Key: key, Args: args}
}

// Text is the problem's message in lang.
func (p Problem) Text(lang string) string { return i18n.T(lang, p.Key, p.Args...) }

// AnalyticsPreview is what a file would import.
type AnalyticsPreview struct {
	Format   string // "x-tweet-activity", "x-post-analytics", "meta-posts"
	Platform string // "x", "facebook" or "instagram"
	Posts    []model.Post
	Problems []Problem
}

// MaxAnalyticsBytes caps the size of an analytics file.
const MaxAnalyticsBytes = 32 << 20

// Column fields, matched by header name: lower case, spaces, "_" and "-"
// folded; each lists its synonyms across the exports.
var analyticsColumns = map[string][]string{
	"id":          {"tweet id", "post id", "id"},
	"url":         {"tweet permalink", "post link", "permalink", "post permalink", "link"},
	"text":        {"tweet text", "post text", "description", "text", "message"},
	"title":       {"title"},
	"time":        {"publish time", "time", "date", "published", "created at", "post date"},
	"replies":     {"replies", "comments"},
	"reposts":     {"retweets", "reposts", "shares"},
	"likes":       {"reactions", "likes"},
	"views":       {"views", "impressions", "video views"},
	"page":        {"page name", "account username", "account name"},
	"igaccount":   {"account username"},
	"publishtime": {"publish time"},
	"impressions": {"impressions"},
}

func normHeader(s string) string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return unicode.IsSpace(r) || r == '_' || r == '-'
	})
	return strings.Join(f, " ")
}

// columns maps each field to the first column whose header is a synonym,
// trying synonyms in order so "views" wins over "impressions".
func columns(header []string) map[string]int {
	idx := map[string]int{}
	for i, h := range header {
		n := normHeader(h)
		if _, seen := idx[n]; !seen {
			idx[n] = i
		}
	}
	out := map[string]int{}
	for field, names := range analyticsColumns {
		for _, n := range names {
			if i, ok := idx[n]; ok {
				out[field] = i
				break
			}
		}
	}
	return out
}

// ImportAnalytics reads an X analytics export (the legacy "Tweet activity"
// file or the current post analytics file) or a Meta Business Suite posts
// export, recognized by its headers. An error means the file as a whole is
// unusable (not CSV, too large, an unknown or a daily-totals export); row
// problems are in the preview.
func ImportAnalytics(r io.Reader) (*AnalyticsPreview, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxAnalyticsBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading analytics file: %w", err)
	}
	if len(data) > MaxAnalyticsBytes {
		return nil, errs.Errorf(errs.Invalid, "analytics.too_large", "analytics file larger than %d MiB", MaxAnalyticsBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // spreadsheet exports start with a BOM
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sniffComma(data)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true // exports quote inconsistently; a stray quote is text
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errs.E(errs.Invalid, "analytics.empty", "analytics file is empty")
		}
		e := errs.E(errs.Invalid, "analytics.header", "the analytics file's header line is not valid CSV")
		e.Err = err
		return nil, e
	}
	cols := columns(header)
	pv := &AnalyticsPreview{}
	_, hasID := cols["id"]
	_, hasTime := cols["time"]
	_, hasPublish := cols["publishtime"]
	switch {
	case hasPublish || (hasID && has(cols, "page")):
		pv.Format, pv.Platform = "meta-posts", "facebook"
		if has(cols, "igaccount") {
			pv.Platform = "instagram"
		}
	case hasID && strings.HasPrefix(normHeader(header[cols["id"]]), "tweet"):
		pv.Format, pv.Platform = "x-tweet-activity", "x"
	case hasID:
		pv.Format, pv.Platform = "x-post-analytics", "x"
	case hasTime && has(cols, "impressions"):
		return nil, errs.E(errs.Invalid, "analytics.daily_totals", "this is a daily totals export (account overview) with no posts in it; export the posts (content) file instead")
	default:
		return nil, errs.E(errs.Invalid, "analytics.unrecognized", "unrecognized analytics file: expected an X analytics or a Meta Business Suite posts export (no post id column)")
	}
	if !hasID {
		return nil, errs.Errorf(errs.Invalid, "analytics.no_id_column", "%s export without a post id column", pv.Format)
	}
	if !hasTime {
		return nil, errs.Errorf(errs.Invalid, "analytics.no_time_column", "%s export without a time column", pv.Format)
	}
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				pv.Problems = append(pv.Problems, problem(pe.Line, "", "analytics.problem.not_csv", pe.Err.Error()))
				continue
			}
			return nil, err
		}
		if isBlank(rec) {
			continue
		}
		line, _ := cr.FieldPos(0)
		if p, probs := pv.row(header, cols, rec, line); len(probs) > 0 {
			pv.Problems = append(pv.Problems, probs...)
		} else if first, dup := seen[p.ExternalID]; dup {
			pv.Problems = append(pv.Problems, problem(line, header[cols["id"]], "analytics.problem.duplicate", clip(p.ExternalID), first))
		} else {
			seen[p.ExternalID] = line
			pv.Posts = append(pv.Posts, p)
		}
	}
	return pv, nil
}

func has(cols map[string]int, f string) bool { _, ok := cols[f]; return ok }

func isBlank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// sniffComma picks ";" for exports made with a semicolon list separator.
func sniffComma(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		return ';'
	}
	return ','
}

// row turns one record into a post, or says what is wrong with it.
func (pv *AnalyticsPreview) row(header []string, cols map[string]int, rec []string, line int) (model.Post, []Problem) {
	var probs []Problem
	cell := func(f string) (string, string, bool) {
		i, ok := cols[f]
		if !ok {
			return "", "", false
		}
		if i >= len(rec) {
			return "", header[i], false
		}
		return strings.TrimSpace(rec[i]), header[i], true
	}
	p := model.Post{Platform: pv.Platform, Source: "analytics"}
	id, idCol, _ := cell("id")
	p.ExternalID = strings.TrimPrefix(id, "'") // spreadsheets keep long ids as text with a quote
	if p.ExternalID == "" {
		probs = append(probs, problem(line, idCol, "analytics.problem.missing_id"))
	}
	ts, tsCol, _ := cell("time")
	if t, ok := parseExportTime(ts); !ok && ts == "" {
		probs = append(probs, problem(line, tsCol, "analytics.problem.time_missing"))
	} else if !ok {
		probs = append(probs, problem(line, tsCol, "analytics.problem.time_unrecognized", clip(ts)))
	} else {
		p.PostedAt = t
	}
	p.URL, _, _ = cell("url")
	p.Text, _, _ = cell("text")
	if title, _, _ := cell("title"); p.Text == "" {
		p.Text = title
	}
	for f, dst := range map[string]**int64{"replies": &p.Replies, "reposts": &p.Reposts, "likes": &p.Likes, "views": &p.Views} {
		v, col, ok := cell(f)
		if !ok {
			continue
		}
		n, err := ParseCount(v)
		if err != nil {
			probs = append(probs, problem(line, col, "analytics.problem.not_count", clip(v)))
			continue
		}
		*dst = n
	}
	// The count columns are visited in map order: sort for a stable preview.
	slices.SortFunc(probs, func(a, b Problem) int { return strings.Compare(a.Column, b.Column) })
	return p, probs
}

// exportLayouts are the analytics files' own forms; Meta writes month
// first. The files carry no zone: times are taken as UTC.
var exportLayouts = []string{
	"01/02/2006 15:04",
	"1/2/2006 15:04",
	"01/02/2006 15:04:05",
	"1/2/2006 15:04:05",
	"01/02/2006",
	"1/2/2006",
}

// parseExportTime reads a time in one of the exports' forms; false for
// none (or "").
func parseExportTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if t, err := ParseTime(s); err == nil {
		return t, true
	}
	for _, l := range exportLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
