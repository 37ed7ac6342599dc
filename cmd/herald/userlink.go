package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/herald-gov/herald/internal/errs"
)

// runUserLinkOIDC is the administrator's way to link a single sign-on
// identity to an existing account whose owner cannot confirm with a
// password (herald serve logs the subject when such a link waits).
func runUserLinkOIDC(ctx context.Context, env Env, args []string) error {
	fs := flag.NewFlagSet("user link-oidc", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var db, email, subject string
	dbFlag(fs, env, &db)
	fs.StringVar(&email, "email", "", "the user's e-mail (required)")
	fs.StringVar(&subject, "subject", "", "the identity, ISSUER|SUB as herald serve logs it (required)")
	if help, err := parseFlags(fs, args, 0); help || err != nil {
		return err
	}
	switch {
	case email == "":
		return usageError("--email is required")
	case !strings.Contains(subject, "|") || strings.HasPrefix(subject, "|") || strings.HasSuffix(subject, "|"):
		return usageError("--subject must be ISSUER|SUB")
	}
	st, err := openStore(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, email)
	if errs.Is(err, errs.NotFound) {
		return usageError("no user with e-mail %s", email)
	} else if err != nil {
		return err
	}
	if other, err := st.UserByOIDCSubject(ctx, subject); err == nil && other.ID != u.ID {
		return usageError("that identity is linked to %s already", other.Email)
	}
	u.OIDCSubject = subject
	if err := st.UpdateUser(ctx, cliActor, u); err != nil { // audited as user.update
		return err
	}
	fmt.Fprintf(env.Stdout, "linked %s to single sign-on identity %s\n", u.Email, subject)
	return nil
}
