package model

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// auditTime is the form of AuditEvent.At in the canonical encoding.
const auditTime = "2006-01-02T15:04:05.000000Z07:00"

// Canonical returns the encoding of every field of e but Hash that the hash
// chain covers: a version tag, then each field as its byte length, a colon
// and the bytes. The lengths make it unambiguous whatever the fields hold.
// At is written in UTC with microseconds, as both databases keep it.
func (e AuditEvent) Canonical() []byte {
	fields := []string{
		strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Truncate(time.Microsecond).Format(auditTime),
		strconv.FormatInt(e.ActorID, 10),
		e.ActorEmail,
		e.Addr,
		e.Action,
		e.ObjectType,
		e.ObjectID,
		e.Summary,
		e.PrevHash,
	}
	b := []byte("herald-audit-v1\n")
	for _, f := range fields {
		b = strconv.AppendInt(b, int64(len(f)), 10)
		b = append(b, ':')
		b = append(b, f...)
		b = append(b, '\n')
	}
	return b
}

// ComputeHash returns the hex SHA-256 of e.Canonical().
func (e AuditEvent) ComputeHash() string {
	sum := sha256.Sum256(e.Canonical())
	return hex.EncodeToString(sum[:])
}
