package main

import "context"

func runServe(ctx context.Context, env Env, args []string) error {
	return usageError("not implemented yet")
}
