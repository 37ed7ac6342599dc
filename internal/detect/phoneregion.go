package detect

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// regionShape is what a national number must look like to be valid in a
// region, read once from the phone metadata. Checking it costs well under a
// microsecond where a metadata look-up (Parse and IsValidNumber) costs
// 10-20 µs, so only numbers of a plausible shape reach the look-up.
type regionShape struct {
	region    string
	cc        string         // country calling code, as written after a '+'
	lengths   uint64         // bit n set: n digits is a possible national number length
	general   *regexp.Regexp // every valid national number matches it
	prefix    *regexp.Regexp // the national prefix (and carrier code) Parse strips; nil if none
	transform string         // how Parse rewrites what prefix matched, as in "9$1" (AR)
}

// phoneMetadata indexes the library's metadata by region, once: reading the
// collection is not safe for concurrent first use.
var phoneMetadata = sync.OnceValues(func() (map[string]*phonenumbers.PhoneMetadata, error) {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return nil, err
	}
	m := map[string]*phonenumbers.PhoneMetadata{}
	for _, md := range coll.GetMetadata() {
		m[md.GetId()] = md
	}
	return m, nil
})

func newRegionShape(region string) (*regionShape, error) {
	all, err := phoneMetadata()
	if err != nil {
		return nil, err
	}
	md := all[region]
	if md == nil || md.GetGeneralDesc() == nil {
		return nil, fmt.Errorf("no phone metadata for %q", region)
	}
	gd := md.GetGeneralDesc()
	general, err := regexp.Compile("^(?:" + gd.GetNationalNumberPattern() + ")$")
	if err != nil {
		return nil, fmt.Errorf("region %s: %v", region, err)
	}
	rs := &regionShape{region: region, cc: strconv.Itoa(int(md.GetCountryCode())), general: general,
		transform: md.GetNationalPrefixTransformRule()}
	for _, n := range gd.GetPossibleLength() {
		if n > 0 && n < 64 {
			rs.lengths |= 1 << n
		}
	}
	if rs.lengths == 0 {
		rs.lengths = ^uint64(0)
	}
	npfp := md.GetNationalPrefixForParsing()
	if npfp == "" {
		npfp = md.GetNationalPrefix()
	}
	if npfp != "" {
		if rs.prefix, err = regexp.Compile("^(?:" + npfp + ")"); err != nil {
			return nil, fmt.Errorf("region %s: %v", region, err)
		}
	}
	return rs, nil
}

// mayBeValid reports whether digits, written without an international
// prefix, could be a valid number of the region: as they stand, without
// the country code, or without the national prefix the way Parse strips it.
func (rs *regionShape) mayBeValid(digits string) bool {
	if rs.fits(digits) || rs.fitsStripped(digits) {
		return true
	}
	if rest, ok := strings.CutPrefix(digits, rs.cc); ok {
		return rs.fits(rest) || rs.fitsStripped(rest)
	}
	return false
}

// possibleLength reports whether digits, or digits after a trunk '0' or
// '1', have a length the region's national numbers have.
func (rs *regionShape) possibleLength(digits string) bool {
	n := len(digits)
	if n < 64 && rs.lengths&(1<<n) != 0 {
		return true
	}
	return n > 1 && n-1 < 64 && (digits[0] == '0' || digits[0] == '1') && rs.lengths&(1<<(n-1)) != 0
}

func (rs *regionShape) fitsStripped(digits string) bool {
	if rs.prefix == nil {
		return false
	}
	m := rs.prefix.FindStringSubmatchIndex(digits)
	if m == nil || m[1] == 0 {
		return false
	}
	nsn := digits[m[1]:]
	if rs.transform != "" && len(m) >= 4 && m[2] >= 0 {
		nsn = string(rs.prefix.ExpandString(nil, rs.transform, digits, m)) + nsn
	}
	return rs.fits(nsn)
}

func (rs *regionShape) fits(nsn string) bool {
	return len(nsn) < 64 && rs.lengths&(1<<len(nsn)) != 0 && rs.general.MatchString(nsn)
}
