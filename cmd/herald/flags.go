package main

import (
	"errors"
	"flag"
)

// newFlags is a command's flag set; its errors and usage go to stderr.
func newFlags(name string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// parseFlags parses args into fs: every command parses its flags here, so
// -h and bad flags mean the same everywhere. help is true after -h (the
// usage was printed; the command does nothing and exits 0); a bad flag is a
// usage error (exit 2), and so is a positional argument beyond maxArgs
// (-1: any number).
func parseFlags(fs *flag.FlagSet, args []string, maxArgs int) (help bool, err error) {
	switch err := fs.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		return true, nil
	case err != nil:
		return false, usageError("%v", err)
	case maxArgs >= 0 && fs.NArg() > maxArgs:
		return false, usageError("unexpected argument %q", fs.Arg(maxArgs))
	}
	return false, nil
}

// parseInterspersed parses flags that may come before or after the
// positional arguments, which it returns; help and errors as parseFlags.
func parseInterspersed(fs *flag.FlagSet, args []string) (pos []string, help bool, err error) {
	for {
		if help, err := parseFlags(fs, args, -1); help || err != nil {
			return nil, help, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, false, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), false, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
