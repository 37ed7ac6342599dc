package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/errs"
	"github.com/herald-gov/herald/internal/model"
)

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// userCols are the scan targets of the user columns every user query selects.
func userCols(u *model.User) []any {
	return []any{&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &u.OIDCSubject,
		scanTime{&u.CreatedAt}, scanNullTime{&u.DisabledAt}, &u.Lang}
}

func (s *Store) oneUser(ctx context.Context, query string, arg any) (*model.User, error) {
	var u model.User
	if err := s.r.QueryRowContext(ctx, s.q(query), arg).Scan(userCols(&u)...); err != nil {
		return nil, mapErr(err)
	}
	return &u, nil
}

// CreateUser adds u, setting its ID and CreatedAt (when zero) and storing the
// e-mail lower-case. ErrConflict if the e-mail or OIDC subject is taken.
// Audited as "user.create".
func (s *Store) CreateUser(ctx context.Context, a model.Actor, u *model.User) error {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	if u.Email == "" {
		return errs.Errorf(errs.Invalid, "store.a_user_needs_an", "a user needs an e-mail address")
	}
	if !u.Role.Valid() {
		return errs.Errorf(errs.Invalid, "store.unknown_role", "unknown role %q", u.Role)
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = s.now()
	}
	u.CreatedAt = normTime(u.CreatedAt)
	return s.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q("user-insert"), u.Email, u.Name, string(u.Role), u.PasswordHash,
			nullString(u.OIDCSubject), s.tv(u.CreatedAt), s.ntv(u.DisabledAt)).Scan(&u.ID)
		if err != nil {
			return mapErr(err)
		}
		return s.appendEvent(ctx, tx, a, "user.create", "user", id(u.ID),
			fmt.Sprintf("created user %s (%s) with role %s", u.Email, u.Name, u.Role))
	})
}

// User returns the user with id, or ErrNotFound.
func (s *Store) User(ctx context.Context, id int64) (*model.User, error) {
	return s.oneUser(ctx, "user-by-id", id)
}

// UserByEmail returns the user with email, compared case-insensitively.
func (s *Store) UserByEmail(ctx context.Context, email string) (*model.User, error) {
	return s.oneUser(ctx, "user-by-email", strings.TrimSpace(email))
}

// UserByOIDCSubject returns the user linked to subject ("issuer|subject").
func (s *Store) UserByOIDCSubject(ctx context.Context, subject string) (*model.User, error) {
	if subject == "" {
		return nil, errNotFound
	}
	return s.oneUser(ctx, "user-by-oidc", subject)
}

// Users returns every user, oldest first.
func (s *Store) Users(ctx context.Context) ([]model.User, error) {
	rows, err := s.r.QueryContext(ctx, s.q("users"))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var us []model.User
	for rows.Next() {
		var u model.User
		if err := rows.Scan(userCols(&u)...); err != nil {
			return nil, err
		}
		us = append(us, u)
	}
	return us, rows.Err()
}

// CountUsers returns the number of users (0 on first run).
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, s.q("users-count")).Scan(&n)
	return n, err
}

// UpdateUser saves u's name, role, disabled time and OIDC subject. The
// e-mail, password and creation time are not changed. Audited as
// "user.update" with what changed.
func (s *Store) UpdateUser(ctx context.Context, a model.Actor, u *model.User) error {
	if !u.Role.Valid() {
		return errs.Errorf(errs.Invalid, "store.unknown_role", "unknown role %q", u.Role)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var old model.User
		if err := tx.QueryRowContext(ctx, s.q("user-by-id"), u.ID).Scan(userCols(&old)...); err != nil {
			return mapErr(err)
		}
		if _, err := tx.ExecContext(ctx, s.q("user-update"), u.Name, string(u.Role),
			nullString(u.OIDCSubject), s.ntv(u.DisabledAt), u.ID); err != nil {
			return mapErr(err)
		}
		return s.appendEvent(ctx, tx, a, "user.update", "user", id(u.ID),
			fmt.Sprintf("updated user %s: %s", old.Email, userChanges(&old, u)))
	})
}

// userChanges describes, for the audit trail, what UpdateUser changes.
func userChanges(old, u *model.User) string {
	var ch []string
	if old.Name != u.Name {
		ch = append(ch, fmt.Sprintf("name %q → %q", old.Name, u.Name))
	}
	if old.Role != u.Role {
		ch = append(ch, fmt.Sprintf("role %s → %s", old.Role, u.Role))
	}
	switch {
	case old.DisabledAt == nil && u.DisabledAt != nil:
		ch = append(ch, "disabled")
	case old.DisabledAt != nil && u.DisabledAt == nil:
		ch = append(ch, "enabled")
	}
	switch {
	case old.OIDCSubject == "" && u.OIDCSubject != "":
		ch = append(ch, "linked to "+u.OIDCSubject)
	case old.OIDCSubject != "" && u.OIDCSubject == "":
		ch = append(ch, "unlinked from "+old.OIDCSubject)
	case old.OIDCSubject != u.OIDCSubject:
		ch = append(ch, "relinked to "+u.OIDCSubject)
	}
	if len(ch) == 0 {
		return "no change"
	}
	return strings.Join(ch, ", ")
}

// SetPassword replaces a user's password hash. Audited as "user.password";
// the hash never enters the trail.
func (s *Store) SetPassword(ctx context.Context, a model.Actor, userID int64, hash string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := affectedOne(tx.ExecContext(ctx, s.q("user-password"), hash, userID)); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, a, "user.password", "user", id(userID), "password changed")
	})
}

// SetUserLang saves the language a user reads Herald in ("" follows the
// browser). Audited as "user.lang".
func (s *Store) SetUserLang(ctx context.Context, a model.Actor, userID int64, lang string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := affectedOne(tx.ExecContext(ctx, s.q("user-lang"), lang, userID)); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, a, "user.lang", "user", id(userID), fmt.Sprintf("language set to %q", lang))
	})
}

// affectedOne turns an UPDATE or DELETE that touched no row into ErrNotFound.
func affectedOne(res sql.Result, err error) error {
	if err != nil {
		return mapErr(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return errNotFound
	}
	return nil
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// Sessions

// CreateSession stores a signed-in browser. Audited as "session.signin".
func (s *Store) CreateSession(ctx context.Context, a model.Actor, sess model.Session) error {
	if sess.CreatedAt.IsZero() {
		sess.CreatedAt = s.now()
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q("session-insert"), sess.TokenHash, sess.UserID, sess.CSRFToken,
			s.tv(sess.CreatedAt), s.tv(sess.ExpiresAt), sess.Addr); err != nil {
			return mapErr(err)
		}
		return s.appendEvent(ctx, tx, a, "session.signin", "user", id(sess.UserID),
			"signed in until "+normTime(sess.ExpiresAt).Format(time.RFC3339))
	})
}

// Session returns the live session with tokenHash and its user; ErrNotFound
// if it is absent, expired at now, or its user is disabled.
func (s *Store) Session(ctx context.Context, tokenHash string, now time.Time) (*model.Session, *model.User, error) {
	var sess model.Session
	var u model.User
	dst := append([]any{&sess.TokenHash, &sess.UserID, &sess.CSRFToken,
		scanTime{&sess.CreatedAt}, scanTime{&sess.ExpiresAt}, &sess.Addr}, userCols(&u)...)
	if err := s.r.QueryRowContext(ctx, s.q("session-get"), tokenHash, s.tv(now)).Scan(dst...); err != nil {
		return nil, nil, mapErr(err)
	}
	return &sess, &u, nil
}

// DeleteSession signs a browser out; ErrNotFound if there is no such session.
// Audited as "session.signout".
func (s *Store) DeleteSession(ctx context.Context, a model.Actor, tokenHash string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var userID int64
		if err := tx.QueryRowContext(ctx, s.q("session-user"), tokenHash).Scan(&userID); err != nil {
			return mapErr(err)
		}
		if _, err := tx.ExecContext(ctx, s.q("session-delete"), tokenHash); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, a, "session.signout", "user", id(userID), "signed out")
	})
}

// DeleteUserSessions ends every session of a user but the one with
// exceptHash ("" for none), e.g. after a password change. Not audited: the
// caller's own event (user.password, user.update) says why.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64, exceptHash string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q("sessions-delete-user"), userID, exceptHash)
		return err
	})
}

// DeleteExpiredSessions removes sessions expired at now and says how many.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q("sessions-delete-expired"), s.tv(now))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// Login throttling. The attempts live in the database so that every
// instance behind a load balancer counts the same ones.

// loginLock is the first key of the PostgreSQL advisory locks that make a
// reservation atomic per throttle key across connections and instances.
const loginLock = 0x6865_726c // "herl"

// ReserveLogin reserves a sign-in attempt under each of keys, whose limits
// are max (0: no limit, only counted). In one transaction it counts the
// attempts recorded under each key at or after since; when every count is
// under its limit it records one attempt at at under each key and returns
// their ids (ReleaseLogin takes them back after a successful sign-in). When
// a limit is reached it records nothing and returns nil ids. counts are the
// attempts seen before this one. Older attempts of the keys are pruned.
func (s *Store) ReserveLogin(ctx context.Context, keys []string, max []int, since, at time.Time) (ids []int64, counts []int, err error) {
	if len(keys) != len(max) {
		return nil, nil, errs.Errorf(errs.Invalid, "store.reserve_login", "%d keys were given with %d limits.", len(keys), len(max))
	}
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	// Locks in key order, so two reservations never wait on each other in a cycle.
	sort.Slice(order, func(a, b int) bool { return keys[order[a]] < keys[order[b]] })
	err = s.write(ctx, func(tx *sql.Tx) error {
		ids, counts = nil, make([]int, len(keys))
		full := false
		for _, i := range order {
			if s.dialect == Postgres {
				if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1, hashtext($2))", loginLock, keys[i]); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, s.q("login-attempt-prune"), keys[i], s.tv(since)); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, s.q("login-attempt-count"), keys[i], s.tv(since)).Scan(&counts[i]); err != nil {
				return err
			}
			if max[i] > 0 && counts[i] >= max[i] {
				full = true
			}
		}
		if full {
			return nil
		}
		for _, k := range keys {
			var id int64
			if err := tx.QueryRowContext(ctx, s.q("login-attempt-insert"), k, s.tv(at)).Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	return ids, counts, err
}

// ReleaseLogin takes back attempts ReserveLogin recorded.
func (s *Store) ReleaseLogin(ctx context.Context, ids []int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, s.q("login-attempt-release"), id); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClearLoginFailures forgets the failures for key, e.g. after a sign-in.
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q("login-failures-clear"), key)
		return err
	})
}
