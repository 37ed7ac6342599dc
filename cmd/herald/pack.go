package main

import "context"

func runPackTest(ctx context.Context, env Env, args []string) error {
	return usageError("not implemented yet")
}

func runPackShow(ctx context.Context, env Env, args []string) error {
	return usageError("not implemented yet")
}
