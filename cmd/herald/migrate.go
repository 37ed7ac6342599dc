package main

import "context"

func runMigrate(ctx context.Context, env Env, args []string) error {
	return usageError("not implemented yet")
}
