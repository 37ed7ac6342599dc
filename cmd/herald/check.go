package main

import "context"

func runCheck(ctx context.Context, env Env, args []string) error {
	return usageError("not implemented yet")
}
