package detect

import (
	"fmt"
	"strings"

	"github.com/herald-gov/herald/internal/policy"
)

// hostSet matches hosts exactly or as subdomains of its entries; an entry
// written "*.example.org" matches subdomains only.
type hostSet struct {
	exact map[string]bool // the host and its subdomains
	sub   map[string]bool // subdomains only
}

func newHostSet(hosts []string) hostSet {
	hs := hostSet{exact: map[string]bool{}, sub: map[string]bool{}}
	for _, h := range hosts {
		h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
		if rest, ok := strings.CutPrefix(h, "*."); ok {
			hs.sub[rest] = true
		} else if h != "" {
			hs.exact[h] = true
		}
	}
	return hs
}

func (hs hostSet) match(host string) bool {
	if hs.exact[host] {
		return true
	}
	for i := 0; i < len(host); i++ {
		if host[i] == '.' {
			if parent := host[i+1:]; hs.exact[parent] || hs.sub[parent] {
				return true
			}
		}
	}
	return false
}

// urlHost returns the lower-cased host of a URL as written in a post, with
// or without scheme.
func urlHost(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.IndexAny(u, "/?#"); i >= 0 {
		u = u[:i]
	}
	if i := strings.LastIndexByte(u, '@'); i >= 0 {
		u = u[i+1:]
	}
	if i := strings.LastIndexByte(u, ':'); i >= 0 && !strings.Contains(u[i:], "]") {
		u = u[:i]
	}
	return strings.TrimSuffix(strings.ToLower(u), ".")
}

type linkDetector struct {
	hosts hostSet
}

func newLinkShortener(_ *params, _ *policy.Organization, p *policy.Parameters) (Detector, error) {
	return &linkDetector{newHostSet(p.Shorteners)}, nil
}

func newLinkDenied(_ *params, _ *policy.Organization, p *policy.Parameters) (Detector, error) {
	return &linkDetector{newHostSet(p.DeniedDomains)}, nil
}

func newLinkInternal(_ *params, org *policy.Organization, _ *policy.Parameters) (Detector, error) {
	return &linkDetector{newHostSet(org.InternalHosts)}, nil
}

func (d *linkDetector) Detect(in *Input) []Match {
	if len(d.hosts.exact)+len(d.hosts.sub) == 0 || strings.IndexByte(in.Text, '.') < 0 {
		return nil
	}
	var out []Match
	for _, sp := range in.URLs() {
		if sp.Start < 0 || sp.End > len(in.Text) || sp.Start >= sp.End {
			continue
		}
		if host := urlHost(in.Text[sp.Start:sp.End]); d.hosts.match(host) {
			out = append(out, Match{Start: sp.Start, End: sp.End, Detail: host})
		}
	}
	return out
}

type platformLengthDetector struct {
	platforms map[string]policy.PlatformParams
}

func newPlatformLength(_ *params, _ *policy.Organization, p *policy.Parameters) (Detector, error) {
	return &platformLengthDetector{p.Platforms}, nil
}

// Detect reports a post longer than its platform allows, as the platform
// counts it. A draft without a known platform is not judged.
func (d *platformLengthDetector) Detect(in *Input) []Match {
	if in.Draft == nil {
		return nil
	}
	pp, ok := d.platforms[in.Draft.Platform]
	if !ok || pp.Limit <= 0 {
		return nil
	}
	if n := in.Length(pp); n > pp.Limit {
		return []Match{{Detail: fmt.Sprintf("%d/%d", n, pp.Limit)}}
	}
	return nil
}

type hashtagCapDetector struct {
	platforms map[string]policy.PlatformParams
}

func newHashtagCap(_ *params, _ *policy.Organization, p *policy.Parameters) (Detector, error) {
	return &hashtagCapDetector{p.Platforms}, nil
}

// Detect reports more hashtags than the draft's platform allows.
func (d *hashtagCapDetector) Detect(in *Input) []Match {
	if in.Draft == nil || strings.IndexByte(in.Text, '#') < 0 && !strings.Contains(in.Text, "＃") {
		return nil
	}
	pp, ok := d.platforms[in.Draft.Platform]
	if !ok || pp.HashtagCap <= 0 {
		return nil
	}
	if n := len(in.Hashtags()); n > pp.HashtagCap {
		return []Match{{Detail: fmt.Sprintf("%d/%d", n, pp.HashtagCap)}}
	}
	return nil
}
