// Command herald is the whole of Herald: the web server, the post checker and
// the administrative commands. main only parses the subcommand; each command
// lives in its own file and takes its flags from the arguments and the
// environment given to it, so tests can run it in-process.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/herald-gov/herald/internal/errs"
)

// Env is what a command may touch of the outside world.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// command is one subcommand. Its args exclude the command's own name(s).
type command struct {
	summary string
	run     func(ctx context.Context, env Env, args []string) error
}

// commands is the table of subcommands; "pack test" is looked up as "pack test".
var commands = map[string]command{
	"check":           {"check draft posts against the policy pack", runCheck},
	"pack test":       {"run every rule's examples of a policy pack", runPackTest},
	"pack show":       {"list a policy pack's clauses and rules", runPackShow},
	"strip-metadata":  {"copy a JPEG or PNG without EXIF, XMP and IPTC", runStripMetadata},
	"serve":           {"run the web application and the API", runServe},
	"migrate":         {"bring the database schema up to date", runMigrate},
	"config":          {"print the effective configuration, secrets redacted", runConfig},
	"user add":        {"create a user", runUserAdd},
	"token create":    {"create an API token for a user and print it", runTokenCreate},
	"audit verify":    {"recompute the audit trail's hash chain", runAuditVerify},
	"credential set":  {"store a platform token encrypted, for syncing and publishing", runCredentialSet},
	"account check":   {"check accounts against the policy pack", runAccountCheck},
	"sync":            {"read accounts' profiles and posts from the platforms once", runSync},
	"health evaluate": {"judge accounts' activity under policy 4.6 once", runHealthEvaluate},

	"audit checkpoint":  {"sign the audit trail's head and append it to the checkpoint file", runAuditCheckpoint},
	"credential rotate": {"re-encrypt every stored token under the current secret key", runCredentialRotate},
	"user link-oidc":    {"link a single sign-on identity to an existing user (an administrator's action)", runUserLinkOIDC},
	"model train":       {"train a text classifier from labelled examples", runModelTrain},
	"model show":        {"print a model's header", runModelShow},
	"model eval":        {"measure a model's precision and recall on labelled examples", runModelEval},
	"model export":      {"write review decisions on a clause as training data, with an admin's consent", runModelExport},

	"webhook add":       {"register a webhook endpoint and print its signing secret once", runWebhookAdd},
	"webhook list":      {"list webhook endpoints, or one endpoint's deliveries and attempts", runWebhookList},
	"webhook redeliver": {"send webhook deliveries again", runWebhookRedeliver},

	"discover": {"search the platforms for accounts using the organization's names and queue look-alikes for triage", runDiscover},
}

// exitError carries an exit status: 1 for findings of severity error,
// 2 for bad usage or bad input.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// usageError is a bad-usage error (exit 2).
func usageError(format string, a ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, a...)}
}

// exitFindings is returned by check when a finding of severity error was
// reported; nothing more is printed.
var exitFindings = &exitError{code: 1}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	code := run(ctx, env, os.Args[1:])
	stop()
	os.Exit(code)
}

// run dispatches args to a command and turns its error into an exit status.
func run(ctx context.Context, env Env, args []string) int {
	name, rest, ok := lookup(args)
	if !ok {
		if len(args) > 0 && args[0] != "help" && args[0] != "-h" && args[0] != "--help" {
			fmt.Fprintf(env.Stderr, "herald: unknown command %q\n\n", strings.Join(args, " "))
			usage(env.Stderr)
			return 2
		}
		usage(env.Stdout)
		return 0
	}
	err := commands[name].run(ctx, env, rest)
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(env.Stderr, "herald %s: %v\n", name, ee.err)
		}
		return ee.code
	}
	fmt.Fprintf(env.Stderr, "herald %s: %v\n", name, err)
	if errs.Is(err, errs.Invalid) {
		return 2 // bad input, whichever package found it
	}
	return 1
}

// lookup finds the longest command name that prefixes args.
func lookup(args []string) (name string, rest []string, ok bool) {
	if len(args) >= 2 {
		if _, ok := commands[args[0]+" "+args[1]]; ok {
			return args[0] + " " + args[1], args[2:], true
		}
	}
	if len(args) >= 1 {
		if _, ok := commands[args[0]]; ok {
			return args[0], args[1:], true
		}
	}
	return "", nil, false
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Herald checks social media posts and accounts against the organization's policy.")
	fmt.Fprintln(w, "\nUsage: herald <command> [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-16s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'herald <command> -h' for a command's flags.")
}
