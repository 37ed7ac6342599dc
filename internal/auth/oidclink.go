package auth

import (
	"sync"
	"time"

	"github.com/herald-gov/herald/internal/model"
)

// OIDCOutcome is what single sign-on does with a verified identity.
type OIDCOutcome int

const (
	// OIDCSignIn: the subject is linked to a user; sign them in.
	OIDCSignIn OIDCOutcome = iota
	// OIDCCreate: nobody has the subject or the e-mail; create the user.
	OIDCCreate
	// OIDCNeedsPassword: a local user has the e-mail but no subject yet.
	// The first link needs proof that it is theirs: their password (or an
	// administrator's action), never the provider's word alone, since an
	// identity provider that lets users pick their e-mail would otherwise
	// hand over any account.
	OIDCNeedsPassword
	// OIDCRefused: the e-mail's user is linked to another subject.
	OIDCRefused
)

// DecideOIDC says what to do with id, given the user linked to its subject
// (bySubject) and the user with its e-mail (byEmail), either nil. Once a
// subject is linked it alone identifies the user: the e-mail is not used.
func DecideOIDC(id *Identity, bySubject, byEmail *model.User) OIDCOutcome {
	switch {
	case bySubject != nil:
		return OIDCSignIn
	case byEmail == nil:
		return OIDCCreate
	case byEmail.OIDCSubject != "" && byEmail.OIDCSubject != id.Subject:
		return OIDCRefused
	}
	return OIDCNeedsPassword
}

// ClaimRole is the role a linked user gets from the provider's claims at
// sign-in: the claimed one, except that a change that makes someone an
// admin or takes an admin's role away is withheld (withheld true, role
// unchanged) until an administrator makes it: a mistaken group mapping
// must not silently hand out or remove the keys to the whole system.
func ClaimRole(current, claimed model.Role) (role model.Role, withheld bool) {
	if current == claimed {
		return current, false
	}
	if current == model.RoleAdmin || claimed == model.RoleAdmin {
		return current, true
	}
	return claimed, false
}

// PendingLinks holds, for a few minutes, identities waiting for their
// user's password before their first link. In memory: a link started on
// one instance is finished on the same one (the sign-in is retried otherwise).
type PendingLinks struct {
	mu  sync.Mutex
	m   map[string]pendingLink
	Now func() time.Time
	TTL time.Duration // default 10 minutes
}

type pendingLink struct {
	subject, email string
	expires        time.Time
}

func (p *PendingLinks) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// Add remembers that the identity (subject, email) waits for the password
// of the user with that e-mail, and returns the token naming it.
func (p *PendingLinks) Add(subject, email string) string {
	ttl := p.TTL
	if ttl <= 0 {
		ttl = 10 * time.Minute
	}
	token := NewToken()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[string]pendingLink{}
	}
	now := p.now()
	for k, v := range p.m { // keep the map small
		if now.After(v.expires) {
			delete(p.m, k)
		}
	}
	p.m[HashToken(token)] = pendingLink{subject: subject, email: normEmail(email), expires: now.Add(ttl)}
	return token
}

// Take returns and forgets the subject waiting under token for the user
// with email; "" when there is none, it expired or it is another user's.
func (p *PendingLinks) Take(token, email string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := HashToken(token)
	l, ok := p.m[key]
	if !ok || p.now().After(l.expires) || l.email != normEmail(email) {
		return ""
	}
	delete(p.m, key)
	return l.subject
}
