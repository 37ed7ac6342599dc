package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/users"
)

var cliActor = model.SystemActor("cli")

// runUserAdd creates a user. Without --password-file it generates a
// one-time password, prints it, and requires a change at first sign-in.
func runUserAdd(ctx context.Context, env Env, args []string) error {
	fs := newFlags("user add", env)
	var db, email, name, role, pwFile string
	dbFlag(fs, env, &db)
	fs.StringVar(&email, "email", "", "the user's e-mail (required)")
	fs.StringVar(&name, "name", "", "the user's name (required)")
	fs.StringVar(&role, "role", "", "admin, reviewer, manager, staff or auditor (required)")
	fs.StringVar(&pwFile, "password-file", "", "file holding the password; default: print a one-time password")
	if help, err := parseFlags(fs, args, -1); help || err != nil {
		return err
	}
	email, name = strings.ToLower(strings.TrimSpace(email)), strings.TrimSpace(name)
	switch {
	case fs.NArg() > 0:
		return usageError("unexpected argument %q", fs.Arg(0))
	case email == "" || !strings.Contains(email, "@"):
		return usageError("--email must be an e-mail address")
	case name == "":
		return usageError("--name is required")
	case !model.Role(role).Valid():
		return usageError("--role must be one of admin, reviewer, manager, staff, auditor")
	}
	password := ""
	if pwFile != "" {
		b, err := os.ReadFile(pwFile)
		if err != nil {
			return usageError("%v", err)
		}
		password = strings.TrimRight(string(b), "\r\n")
	}
	st, err := openStore(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := &users.Service{Store: st}
	u, oneTime, err := svc.Add(ctx, cliActor, users.NewUser{Name: name, Email: email, Role: model.Role(role), Password: password})
	if errs.Is(err, errs.Conflict) || errs.Is(err, errs.Invalid) {
		return usageError("%s", errs.Of(err).Message)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "created user %d: %s (%s)\n", u.ID, u.Email, u.Role)
	if oneTime != "" {
		fmt.Fprintf(env.Stdout, "one-time password: %s\n", oneTime)
	}
	return nil
}

// runTokenCreate creates an API token for a user and prints it alone on stdout.
func runTokenCreate(ctx context.Context, env Env, args []string) error {
	fs := newFlags("token create", env)
	var db, email, name, scope, expires string
	dbFlag(fs, env, &db)
	fs.StringVar(&email, "email", "", "the e-mail of the user the token acts for (required)")
	fs.StringVar(&name, "name", "created with herald token create", "a name to recognize the token by")
	fs.StringVar(&scope, "scope", model.ScopeFull, "what the token may do of what the user's role allows: "+strings.Join(model.TokenScopes, ", "))
	fs.StringVar(&expires, "expires", "", "when the token stops working: a date (2027-01-31, to the end of that day UTC), days (90d) or an RFC 3339 time; empty: never")
	if help, err := parseFlags(fs, args, 0); help || err != nil {
		return err
	}
	if email == "" {
		return usageError("--email is required")
	}
	exp, err := users.ParseExpiry(expires, time.Now())
	if err != nil {
		return usageError("--expires: %s", errs.Of(err).Message)
	}
	st, err := openStore(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := &users.Service{Store: st}
	u, err := svc.ByEmail(ctx, email)
	if errs.Is(err, errs.NotFound) {
		return usageError("no user with e-mail %s", email)
	} else if err != nil {
		return err
	}
	token, err := svc.CreateToken(ctx, cliActor, u, users.TokenSpec{Name: name, Scope: scope, ExpiresAt: exp})
	if errs.Is(err, errs.Conflict) || errs.Is(err, errs.Invalid) {
		return usageError("%s", errs.Of(err).Message)
	} else if err != nil {
		return err
	}
	_, err = fmt.Fprintln(env.Stdout, token)
	return err
}
