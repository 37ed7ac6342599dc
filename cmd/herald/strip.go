package main

import "context"

func runStripMetadata(ctx context.Context, env Env, args []string) error {
	return usageError("not implemented yet")
}
