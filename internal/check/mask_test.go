package check_test

import "testing"

func TestMaskPersonal(t *testing.T) {
	c := defaultChecker(t)
	for _, tc := range []struct{ in, want string }{
		{"Call Amina on +211 912 345 678 or write to amina.k@gmail.com, thanks @amina_k!",
			"Call Amina on [phone] or write to [email], thanks @user!"},
		{"Ask @juba@mastodon.social about IBAN GB82 WEST 1234 5698 7654 32.", "Ask @user about IBAN [iban]."},
		{"A fact with no one in it: 40,000 people use the bridge.", "A fact with no one in it: 40,000 people use the bridge."},
		{"Invalid \xff bytes stay @x", "Invalid \xff bytes stay @user"},
	} {
		if got := c.MaskPersonal(tc.in); got != tc.want {
			t.Errorf("MaskPersonal(%q)\n = %q\nwant %q", tc.in, got, tc.want)
		}
	}
}
