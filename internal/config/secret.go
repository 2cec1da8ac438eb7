package config

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

const (
	minKeyBytes = 32
	// maxKeyChars bounds the pattern checks below (quadratic in the length);
	// real keys are 64 hex digits or 44 base64 characters.
	maxKeyChars = 1024
)

// placeholderWords are fragments of the values people paste from examples and
// templates. They are refused in every environment so that a development .env
// copied to a production server fails at start instead of signing sessions
// with a key anyone can read in the documentation. They are looked for in the
// value as written and in what it decodes to when that is text (a passphrase
// run through base64 or hex is still a passphrase).
var placeholderWords = []string{"change", "example", "placeholder", "secret", "password", "passwd", "admin123", "your-", "xxxx",
	"default", "letmein", "qwerty"}

// parseSecretKey decodes LEOC_SECRET_KEY and refuses weak values. The message
// never repeats the value: it is the key.
func parseSecretKey(v string) ([]byte, string) {
	if len(v) > maxKeyChars {
		return nil, fmt.Sprintf("is longer than %d characters", maxKeyChars)
	}
	if w := placeholderIn(v); w != "" {
		return nil, fmt.Sprintf("looks like a placeholder (it contains %q), not a real key", w)
	}
	key, msg := decodeSecretKey(v)
	if msg != "" {
		return nil, msg
	}
	if printableText(key) {
		if w := placeholderIn(string(key)); w != "" {
			return nil, fmt.Sprintf("decodes to text that looks like a placeholder (it contains %q), not random bytes", w)
		}
	}
	if isPredictable([]byte(v)) || weakKey(key) {
		return nil, "is too predictable (a repeated pattern, a sequence such as 00 01 02 …, or fewer than 10 different bytes)"
	}
	return key, ""
}

// placeholderIn returns the placeholder word s contains, ignoring case and
// the separators people put inside words ("change_me", "pass-word"), or "".
func placeholderIn(s string) string {
	lower := strings.ToLower(s)
	squeezed := strings.NewReplacer("-", "", "_", "", ".", "", " ", "").Replace(lower)
	for _, w := range placeholderWords {
		if strings.Contains(lower, w) || (!strings.ContainsAny(w, "-_. ") && strings.Contains(squeezed, w)) {
			return w
		}
	}
	return ""
}

// printableText reports whether decoded key bytes are printable ASCII text,
// i.e. a typed passphrase rather than random bytes (32 random bytes are all
// printable with probability (95/256)^32, about 10^-14).
func printableText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return len(b) > 0
}

// weakKey applies the entropy checks to decoded key bytes: few distinct
// bytes or a repeated unit (isPredictable), or a progression such as
// 00 01 02 … or 00 02 04 …, whose differences are few and regular although
// the bytes themselves are all distinct.
func weakKey(b []byte) bool {
	if isPredictable(b) {
		return true
	}
	if len(b) < 2 {
		return false
	}
	diffs := make([]byte, len(b)-1)
	for i := range diffs {
		diffs[i] = b[i+1] - b[i]
	}
	return isPredictable(diffs)
}

// decodeSecretKey accepts, in this order, hex (what openssl rand -hex prints),
// base64 in any of its four spellings (openssl rand -base64), and finally the
// raw characters. Hex is tried first and is strict about length, because a
// short hex string read as raw text would claim twice the strength it has.
func decodeSecretKey(v string) ([]byte, string) {
	if len(v)%2 == 0 && isHex(v) {
		b, _ := hex.DecodeString(v) // cannot fail: even length, hex digits only
		if len(b) < minKeyBytes {
			return nil, fmt.Sprintf("is %d bytes of hex; at least %d bytes (%d hex digits) are needed",
				len(b), minKeyBytes, 2*minKeyBytes)
		}
		return b, ""
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(v); err == nil && len(b) >= minKeyBytes {
			return b, ""
		}
	}
	if len(v) < minKeyBytes {
		return nil, fmt.Sprintf("is too short (%d bytes); at least %d random bytes are needed", len(v), minKeyBytes)
	}
	return []byte(v), ""
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return s != ""
}

// isPredictable catches keys typed by hand: few distinct bytes ("aaaa…",
// "1212…") or one short unit repeated ("abcdefghij" four times). Thirty-two
// random bytes have about 30 distinct values and no period, so a real key
// never trips this.
func isPredictable(b []byte) bool {
	var seen [256]bool
	distinct := 0
	for _, c := range b {
		if !seen[c] {
			seen[c] = true
			distinct++
		}
	}
	return distinct < 10 || hasPeriod(b)
}

// hasPeriod reports whether b is some shorter prefix repeated, the last copy
// possibly cut short.
func hasPeriod(b []byte) bool {
	for p := 1; p <= len(b)/2; p++ {
		repeats := true
		for i := p; i < len(b); i++ {
			if b[i] != b[i-p] {
				repeats = false
				break
			}
		}
		if repeats {
			return true
		}
	}
	return false
}

// EnsureDevSecret gives a development server without LEOC_SECRET_KEY a key
// that survives restarts, so sessions are not all lost on every restart: it
// reads DataDir/secret.key (hex) when present, otherwise it generates 32
// random bytes and writes them there as hex with mode 0600. It does nothing
// when c.SecretKey is already set and refuses to run in production, where the
// key must be configured explicitly. DataDir must exist (os.WriteFile does not
// create directories). Pass os.ReadFile and os.WriteFile.
func EnsureDevSecret(c *Config, readFile func(name string) ([]byte, error),
	writeFile func(name string, data []byte, perm fs.FileMode) error) error {
	if c.SecretKey != nil {
		return nil
	}
	if c.Production() {
		return errors.New("config: LEOC_SECRET_KEY is required in production — generate one with: openssl rand -hex 32")
	}
	path := filepath.Join(c.DataDir, "secret.key")
	data, err := readFile(path)
	switch {
	case err == nil:
		key, err := hex.DecodeString(strings.TrimSpace(string(data)))
		if err != nil || len(key) < minKeyBytes || weakKey(key) {
			return fmt.Errorf("config: %s is not a random hex key of at least %d bytes; "+
				"delete it and restart to generate a new one (everyone will have to sign in again)", path, minKeyBytes)
		}
		c.SecretKey, c.SecretKeySource = key, "file"
		return nil
	case errors.Is(err, fs.ErrNotExist):
		key := make([]byte, minKeyBytes)
		if _, err := rand.Read(key); err != nil {
			return fmt.Errorf("config: generate secret key: %w", err)
		}
		if err := writeFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
			return fmt.Errorf("config: write generated secret key: %w", err)
		}
		c.SecretKey, c.SecretKeySource = key, "generated"
		return nil
	default:
		return fmt.Errorf("config: read secret key: %w", err)
	}
}
