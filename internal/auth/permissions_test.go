package auth

import (
	"testing"

	"github.com/herald-gov/herald/internal/model"
)

func TestAllowed(t *testing.T) {
	for _, tc := range []struct {
		role model.Role
		perm Permission
		want bool
	}{
		{"", Public, true},
		{"", Self, false},
		{"nobody", DashboardRead, false},
		{model.RoleStaff, Self, true},
		{model.RoleStaff, CheckRun, true},
		{model.RoleStaff, AuditRead, false},
		{model.RoleAuditor, AuditRead, true},
		{model.RoleAuditor, CheckRun, false},
		{model.RoleAdmin, UsersRead, true},
		{model.RoleReviewer, UsersRead, false},
		{model.RoleAdmin, UsersManage, true},
		{model.RoleAuditor, UsersManage, false},
	} {
		if got := Allowed(tc.role, tc.perm); got != tc.want {
			t.Errorf("Allowed(%q, %q) = %v, want %v", tc.role, tc.perm, got, tc.want)
		}
	}
	for role, perms := range rolePermissions {
		for _, p := range perms {
			if !Known(p) {
				t.Errorf("role %s has unknown permission %q", role, p)
			}
		}
	}
}

func TestParseRoleMap(t *testing.T) {
	m, err := ParseRoleMap("cg-admins=admin, cg=reviewer,everyone=staff")
	if err != nil || len(m) != 3 || m["cg"] != model.RoleReviewer {
		t.Fatalf("ParseRoleMap = %v, %v", m, err)
	}
	for _, bad := range []string{"x", "x=king", "=admin"} {
		if _, err := ParseRoleMap(bad); err == nil {
			t.Errorf("ParseRoleMap(%q): want an error", bad)
		}
	}
}
