package main

import "context"

func runConfig(ctx context.Context, env Env, args []string) error {
	return usageError("not implemented yet")
}
