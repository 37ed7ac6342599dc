package detect

import (
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// TestRegionShapeSound checks that the cheap pre-validation never turns
// away a valid number, written nationally or with the country code, for
// every region the library knows: each type's example number.
func TestRegionShapeSound(t *testing.T) {
	types := []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE,
		phonenumbers.TOLL_FREE, phonenumbers.VOIP, phonenumbers.UAN}
	for region := range phonenumbers.GetSupportedRegions() {
		rs, err := newRegionShape(region)
		if err != nil {
			t.Fatalf("%s: %v", region, err)
		}
		for _, typ := range types {
			num := phonenumbers.GetExampleNumberForType(region, typ)
			if num == nil || !phonenumbers.IsValidNumberForRegion(num, region) {
				continue
			}
			national := phonenumbers.NormalizeDigitsOnly(phonenumbers.Format(num, phonenumbers.NATIONAL))
			intl := strings.TrimPrefix(phonenumbers.Format(num, phonenumbers.E164), "+")
			for _, digits := range []string{national, intl, phonenumbers.GetNationalSignificantNumber(num)} {
				if p, err := phonenumbers.Parse(digits, region); err != nil || !phonenumbers.IsValidNumber(p) {
					continue // not how Parse reads it in this region either
				}
				if !rs.mayBeValid(digits) {
					t.Errorf("%s: %s (type %v) turned away", region, digits, typ)
				}
			}
		}
	}
}

func TestRegionShapeRejects(t *testing.T) {
	for _, c := range []struct {
		region, digits string
	}{
		{"US", "1122334455"}, // no area code starts with 1
		{"FR", "11223344"},   // too short
		{"DK", "1122334455"}, // eight digits only
	} {
		rs, err := newRegionShape(c.region)
		if err != nil {
			t.Fatal(err)
		}
		if rs.mayBeValid(c.digits) {
			t.Errorf("%s: %s passes the pre-validation", c.region, c.digits)
		}
	}
}
