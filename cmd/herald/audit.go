package main

import "context"

func runAuditVerify(ctx context.Context, env Env, args []string) error {
	return usageError("not implemented yet")
}
