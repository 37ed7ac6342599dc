package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/herald-gov/herald/internal/model"
)

// RotateCredentials rewrites every stored credential's secret with reseal
// (the caller decrypts it with whichever key it was sealed under and seals
// it again under the current one), in one transaction with one audit event:
// either every credential is under the new key or none is. It returns how
// many it rewrote.
func (s *Store) RotateCredentials(ctx context.Context, a model.Actor, reseal func(platform string, accountID int64, secret []byte) ([]byte, error)) (int, error) {
	n := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		type row struct {
			platform string
			account  int64
			secret   []byte
		}
		all, err := queryAll(ctx, tx, func(sc scanner) (*row, error) {
			var r row
			return &r, sc.Scan(&r.platform, &r.account, &r.secret)
		}, s.q("credential-all"))
		if err != nil {
			return err
		}
		for _, r := range all {
			sealed, err := reseal(r.platform, r.account, r.secret)
			if err != nil {
				return fmt.Errorf("credential %s: %w", credentialID(r.platform, r.account), err)
			}
			if _, err := tx.ExecContext(ctx, s.q("credential-reseal"), sealed, s.tv(s.now()), r.platform, r.account); err != nil {
				return mapErr(err)
			}
		}
		n = len(all)
		return s.appendEvent(ctx, tx, a, "credential.rotate", "credential", "*",
			fmt.Sprintf("re-encrypted %d connector credentials under the current secret key", n))
	})
	return n, err
}
