package web

import (
	"context"
	"sync"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
)

// tokenTTL is how long a bearer token's look-up is reused. A token revoked
// through this process stops working at once; one revoked by another
// instance (or the CLI), or whose user is disabled there, still works here
// for up to tokenTTL.
const tokenTTL = 5 * time.Second

// tokenCacheMax bounds the cache; past it, expired entries go, and if none
// had, everything does.
const tokenCacheMax = 10000

// tokenCache spares the database a query per API request: it keeps
// successful look-ups by token hash (never failures, so a new token works
// at once) for tokenTTL.
type tokenCache struct {
	now func() time.Time
	mu  sync.Mutex
	m   map[string]*tokenEntry
}

type tokenEntry struct {
	t       model.APIToken
	u       model.User
	until   time.Time
	touched time.Time // last TouchToken from this process
}

func newTokenCache(now func() time.Time) *tokenCache {
	return &tokenCache{now: now, m: map[string]*tokenEntry{}}
}

// lookup returns copies of the live token with hash and its user, from the
// cache or the store (errs.NotFound when unknown, revoked or disabled).
func (c *tokenCache) lookup(ctx context.Context, st *store.Store, hash string) (*model.APIToken, *model.User, error) {
	now := c.now()
	c.mu.Lock()
	if e, ok := c.m[hash]; ok && now.Before(e.until) {
		t, u := e.t, e.u
		c.mu.Unlock()
		return &t, &u, nil
	}
	c.mu.Unlock()
	t, u, err := st.TokenByHash(ctx, hash)
	if err != nil {
		return nil, nil, err
	}
	c.mu.Lock()
	if len(c.m) >= tokenCacheMax {
		for h, e := range c.m {
			if !now.Before(e.until) {
				delete(c.m, h)
			}
		}
		if len(c.m) >= tokenCacheMax {
			clear(c.m)
		}
	}
	e := &tokenEntry{t: *t, u: *u, until: now.Add(tokenTTL)}
	if old, ok := c.m[hash]; ok {
		e.touched = old.touched
	}
	c.m[hash] = e
	c.mu.Unlock()
	return t, u, nil
}

// shouldTouch reports whether the token's last use is to be written now: at
// most once a minute per token, counting writes from this process the
// cached row does not show yet. A true answer records the write.
func (c *tokenCache) shouldTouch(hash string, t *model.APIToken, now time.Time) bool {
	last := time.Time{}
	if t.LastUsedAt != nil {
		last = *t.LastUsedAt
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.m[hash]
	if e != nil && e.touched.After(last) {
		last = e.touched
	}
	if !last.IsZero() && now.Sub(last) <= time.Minute {
		return false
	}
	if e != nil {
		e.touched = now
	}
	return true
}

// forget drops the cached look-ups of a token, after it was revoked here.
func (c *tokenCache) forget(tokenID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for h, e := range c.m {
		if e.t.ID == tokenID {
			delete(c.m, h)
		}
	}
}

// forgetUser drops the cached look-ups of a user's tokens, after their role
// changed or they were disabled here.
func (c *tokenCache) forgetUser(userID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for h, e := range c.m {
		if e.u.ID == userID {
			delete(c.m, h)
		}
	}
}
