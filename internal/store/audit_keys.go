package store

import (
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"time"
)

// AuditKeys are the two keys that make the audit trail checkable without
// trusting the database: an HMAC key for every entry's link, and an Ed25519
// key for checkpoints. Both are derived from a secret that lives outside the
// database (LEOC_AUDIT_KEY, or else LEOC_SECRET_KEY), so someone who can only
// write to the database can neither recompute a link nor sign a checkpoint.
type AuditKeys struct {
	mac  []byte
	sign ed25519.PrivateKey
}

// The HKDF labels are fixed: changing one would make every existing link and
// checkpoint unverifiable.
const (
	auditMACLabel  = "leoc audit-trail link hmac-sha256 v1"
	auditSignLabel = "leoc audit-trail checkpoint ed25519 v1"
)

// DeriveAuditKeys derives the audit keys from a secret of at least 32 bytes.
func DeriveAuditKeys(secret []byte) (*AuditKeys, error) {
	if len(secret) < 32 {
		return nil, errors.New("store: the audit key needs at least 32 bytes")
	}
	mac, err := hkdf.Key(sha256.New, secret, nil, auditMACLabel, 32)
	if err != nil {
		return nil, fmt.Errorf("store: derive audit key: %w", err)
	}
	seed, err := hkdf.Key(sha256.New, secret, nil, auditSignLabel, ed25519.SeedSize)
	if err != nil {
		return nil, fmt.Errorf("store: derive audit key: %w", err)
	}
	return &AuditKeys{mac: mac, sign: ed25519.NewKeyFromSeed(seed)}, nil
}

// PublicKey is the key that checks checkpoints; it may be published.
func (k *AuditKeys) PublicKey() ed25519.PublicKey {
	return k.sign.Public().(ed25519.PublicKey)
}

// SetAuditKeys gives the store its audit keys. Without them it refuses to
// write audit entries (and therefore every change), rather than writing
// links anyone could forge.
func (s *Store) SetAuditKeys(k *AuditKeys) { s.audit = k }

// writeAuditFields feeds an entry into a hash. Every field is length
// prefixed so that moving text from one field to the next changes the link.
// The bytes are exactly those of the original fmt "%d:%s;" encoding, built
// without fmt because verification hashes every entry of the trail.
func writeAuditFields(h hash.Hash, e *AuditEntry) {
	buf := make([]byte, 0, 256+len(e.Details))
	for _, f := range []string{
		e.PrevHash, strconv.FormatInt(e.ID, 10), e.At.UTC().Format(time.RFC3339Nano),
		strconv.FormatInt(e.UserID, 10), e.Username, e.IP, e.Action, e.Entity, e.EntityID, e.Details,
	} {
		buf = strconv.AppendInt(buf, int64(len(f)), 10)
		buf = append(buf, ':')
		buf = append(buf, f...)
		buf = append(buf, ';')
	}
	h.Write(buf)
}

// plainAuditHash is the link of trails written before keyed links: a plain
// SHA-256 that anyone with write access to the database can recompute.
// It is only ever read now (a sealed legacy prefix).
func plainAuditHash(e *AuditEntry) string {
	h := sha256.New()
	writeAuditFields(h, e)
	return hex.EncodeToString(h.Sum(nil))
}

// keyedAuditHash is the link of every entry written now: HMAC-SHA256 under
// the audit key.
func (k *AuditKeys) keyedAuditHash(e *AuditEntry) string {
	h := hmac.New(sha256.New, k.mac)
	writeAuditFields(h, e)
	return hex.EncodeToString(h.Sum(nil))
}

// linkKind tells how an entry's link was made: "keyed", "plain" or "" when
// it matches neither (the entry was altered, or re-chained with another key).
func (k *AuditKeys) linkKind(e *AuditEntry) string {
	if hmac.Equal([]byte(k.keyedAuditHash(e)), []byte(e.Hash)) {
		return "keyed"
	}
	if plainAuditHash(e) == e.Hash {
		return "plain"
	}
	return ""
}
