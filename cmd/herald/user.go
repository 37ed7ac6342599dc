package main

import "context"

func runUserAdd(ctx context.Context, env Env, args []string) error {
	return usageError("not implemented yet")
}

func runTokenCreate(ctx context.Context, env Env, args []string) error {
	return usageError("not implemented yet")
}
