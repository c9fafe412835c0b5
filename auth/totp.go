// Package auth holds tumen's login primitives: time-based one-time
// passwords (RFC 6238) for two-factor login, and random tokens for
// sessions, CSRF and API access, of which only hashes are stored.
package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// TOTP parameters: the defaults of RFC 6238 and of every authenticator app.
const (
	Period = 30 * time.Second
	Digits = 6
	// Skew is how many periods before and after now a code is accepted, for
	// clocks that drift.
	Skew = 1
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewSecret returns a new random TOTP secret, base32-encoded (160 bits, as
// RFC 4226 recommends).
func NewSecret() string {
	b := make([]byte, 20)
	rand.Read(b)
	return b32.EncodeToString(b)
}

// decodeSecret accepts the base32 secret with or without padding, spaces
// and in any case, as people type it from a screen.
func decodeSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "=", "").Replace(secret))
	return b32.DecodeString(s)
}

// Code returns the code for the period containing t.
func Code(secret string, t time.Time) (string, error) {
	key, err := decodeSecret(secret)
	if err != nil {
		return "", fmt.Errorf("auth: bad TOTP secret")
	}
	return hotp(key, uint64(t.Unix())/uint64(Period/time.Second)), nil
}

// hotp is RFC 4226's HOTP with SHA-1 and dynamic truncation.
func hotp(key []byte, counter uint64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", Digits, v%1_000_000)
}

// Verify checks code against the secret at t, within Skew periods. It
// returns the time step that matched, so the caller can refuse a code that
// was already used (a step not after lastStep).
func Verify(secret, code string, t time.Time, lastStep int64) (step int64, ok bool) {
	key, err := decodeSecret(secret)
	code = strings.TrimSpace(code)
	if err != nil || len(code) != Digits {
		return 0, false
	}
	now := int64(uint64(t.Unix()) / uint64(Period/time.Second))
	for d := int64(-Skew); d <= Skew; d++ {
		s := now + d
		if s <= lastStep {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(hotp(key, uint64(s))), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// URI returns the otpauth:// URI authenticator apps read, for the account
// name on the issuer.
func URI(issuer, account, secret string) string {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", fmt.Sprint(Digits))
	v.Set("period", fmt.Sprint(int(Period/time.Second)))
	return "otpauth://totp/" + url.PathEscape(issuer+":"+account) + "?" + v.Encode()
}

// NewToken returns a random token for a session, CSRF or API key, and the
// hash under which it is stored: a stolen database does not yield tokens.
func NewToken() (token string, hash []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the stored form of a token.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// Equal compares two secrets in constant time.
func Equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
