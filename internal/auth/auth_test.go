package auth

import (
	"strings"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/must"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("unexpected hash format %q", h)
	}
	if ok, err := CheckPassword(h, "correct horse battery"); err != nil || !ok {
		t.Fatalf("right password refused: %v %v", ok, err)
	}
	if ok := must.Get(CheckPassword(h, "correct horse batterY"))(t); ok {
		t.Fatal("wrong password accepted")
	}
	h2 := must.Get(HashPassword("correct horse battery"))(t)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
}

func TestCheckPasswordRejectsMalformed(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2id$v=19$m=0,t=2,p=1$AAAA$AAAA", "$bcrypt$x$y$z$w", "$argon2id$v=19$m=19456,t=2,p=1$!!$AAAA"} {
		if ok, err := CheckPassword(h, "x"); ok || err == nil {
			t.Errorf("CheckPassword(%q) = %v, %v; want false, error", h, ok, err)
		}
	}
}

func TestRandomPasswordMeetsRules(t *testing.T) {
	for range 50 {
		p, err := RandomPassword()
		if err != nil {
			t.Fatal(err)
		}
		if len(p) != 16 {
			t.Fatalf("len %d", len(p))
		}
		if k := leoc.CheckPassword(p, "admin"); k != "" {
			t.Fatalf("generated password %q breaks rule %s", p, k)
		}
	}
}

func TestAPIToken(t *testing.T) {
	a := must.Get(NewAPIToken())(t)
	b := must.Get(NewAPIToken())(t)
	if a == b || !strings.HasPrefix(a, APITokenPrefix) || len(a) < 40 {
		t.Fatalf("weak tokens %q %q", a, b)
	}
	if TokenHash(a) == TokenHash(b) || len(TokenHash(a)) != 64 {
		t.Fatal("bad token hash")
	}
}
