package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/herald-gov/herald/internal/connector"
	"github.com/herald-gov/herald/internal/model"
)

// runCredentialSet stores a platform token encrypted, for syncing and for
// publishing approved drafts. The token is read from a file or standard
// input, never from the command line, so it stays out of shell history and
// process lists.
func runCredentialSet(ctx context.Context, env Env, args []string) error {
	c := &Config{}
	fs := newFlags("credential set", env)
	monitorFlags(fs, env, c, true)
	platform := fs.String("platform", "", "the platform the token is for (required)")
	account := fs.Int64("account", 0, "the account the token belongs to; 0: every account of the platform")
	tokenFile := fs.String("token-file", "", "file holding the token, '-' for standard input (required); an empty file deletes the stored token")
	if help, err := parseFlags(fs, args, -1); help || err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usageError("unexpected argument %q", fs.Arg(0))
	case *platform == "":
		return usageError("--platform is required")
	case *tokenFile == "":
		return usageError("--token-file is required")
	case c.SecretKey == "":
		return usageError("--secret-key (or HERALD_SECRET_KEY) is required to encrypt the token")
	}
	token, err := readToken(env, *tokenFile)
	if err != nil {
		return usageError("%v", err)
	}
	m, closeStore, err := openMonitor(ctx, env, c, connector.Config{})
	if err != nil {
		return err
	}
	defer closeStore()
	if err := m.SetCredential(ctx, model.SystemActor("cli"), *platform, *account, token); err != nil {
		return err
	}
	what := "stored, encrypted"
	if token == "" {
		what = "deleted"
	}
	scope := "every account"
	if *account != 0 {
		scope = fmt.Sprintf("account %d", *account)
	}
	fmt.Fprintf(env.Stdout, "%s token for %s on %s\n", what, scope, strings.ToLower(*platform))
	return nil
}

// readToken reads a token from a file or standard input, trimmed.
func readToken(env Env, path string) (string, error) {
	var r io.Reader = env.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return "", err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, 64<<10))
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// runCredentialRotate re-encrypts every stored token under the current
// secret key, reading each with the current key or one of the previous
// ones; afterwards the previous keys can be dropped from the configuration.
func runCredentialRotate(ctx context.Context, env Env, args []string) error {
	c := &Config{}
	fs := flag.NewFlagSet("credential rotate", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	monitorFlags(fs, env, c, true)
	if help, err := parseFlags(fs, args, 0); help || err != nil {
		return err
	}
	switch {
	case c.SecretKey == "":
		return usageError("--secret-key (or HERALD_SECRET_KEY), the new key, is required")
	}
	m, closeStore, err := openMonitor(ctx, env, c, connector.Config{})
	if err != nil {
		return err
	}
	defer closeStore()
	n, err := m.RotateCredentials(ctx, model.SystemActor("cli"))
	if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("nothing rotated: %w", err)}
	}
	// Webhook endpoints' signing secrets are sealed with the same key.
	svc, st, err := openWebhooks(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	hooks, err := svc.RotateSecrets(ctx, model.SystemActor("cli"))
	if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("%d tokens re-encrypted, but no webhook secret: %w", n, err)}
	}
	fmt.Fprintf(env.Stdout, "re-encrypted %d stored tokens and %d webhook secrets under the current secret key; the previous keys are no longer needed\n", n, hooks)
	return nil
}
