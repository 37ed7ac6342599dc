package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/herald-gov/herald/internal/model"
)

// ReviewSetting returns the value stored under key, or ErrNotFound.
func (s *Store) ReviewSetting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, s.q("review-setting"), key).Scan(&v)
	return v, mapErr(err)
}

// ReviewSettings returns every setting whose key starts with prefix.
func (s *Store) ReviewSettings(ctx context.Context, prefix string) (map[string]string, error) {
	rows, err := s.r.QueryContext(ctx, s.q("review-settings-prefix"), likeEscape(prefix)+"%")
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// SetReviewSetting stores value under key. Audited as "review.settings".
func (s *Store) SetReviewSetting(ctx context.Context, a model.Actor, key, value string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q("review-setting-upsert"), key, value); err != nil {
			return mapErr(err)
		}
		return s.appendEvent(ctx, tx, a, "review.settings", "setting", key, fmt.Sprintf("set %s to %s", key, value))
	})
}
