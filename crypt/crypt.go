// Package crypt is tumen's encryption at rest: envelope encryption of every
// sensitive value under one random data key, the data key wrapped by a key
// derived from a passphrase (Argon2id) and/or a key file, and keyed blind
// indexes for looking up encrypted identifiers.
//
// A value is sealed with XChaCha20-Poly1305; its additional data names the
// table, record and field, so a ciphertext moved to another record or field
// fails to open. Its 192-bit random nonces leave no practical limit on how
// many values one key may seal.
package crypt

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"sync"

	"golang.org/x/crypto/chacha20poly1305"
)

// KeySize is the size of the data key and of every derived key.
const KeySize = 32

// version is the first byte of every ciphertext, so the format can change.
const version byte = 1

// Overhead is how many bytes Seal adds to a plaintext.
const Overhead = 1 + chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead

// ErrDecrypt is returned when a ciphertext does not open: a wrong key, or a
// value that was altered or moved to another record or field.
var ErrDecrypt = errors.New("crypt: value does not decrypt: wrong key, or altered or moved data")

// Keyring holds the subkeys derived from an unwrapped data key. It is safe
// for concurrent use.
type Keyring struct {
	sealKey   [KeySize]byte
	blindKey  [KeySize]byte
	auditKey  [KeySize]byte
	streamKey [KeySize]byte
	rand      io.Reader
	hmacPool  sync.Pool
}

// NewKeyring derives the subkeys of dataKey. Random nonces come from
// crypto/rand.
func NewKeyring(dataKey []byte) (*Keyring, error) {
	if len(dataKey) != KeySize {
		return nil, fmt.Errorf("crypt: data key is %d bytes, want %d", len(dataKey), KeySize)
	}
	k := &Keyring{rand: rand.Reader}
	for _, d := range []struct {
		dst  *[KeySize]byte
		info string
	}{
		{&k.sealKey, "tumen/v1/seal"},
		{&k.blindKey, "tumen/v1/blind-index"},
		{&k.auditKey, "tumen/v1/audit"},
		{&k.streamKey, "tumen/v1/stream"},
	} {
		sub, err := hkdf.Key(sha256.New, dataKey, nil, d.info, KeySize)
		if err != nil {
			return nil, fmt.Errorf("crypt: derive key: %w", err)
		}
		copy(d.dst[:], sub)
		clear(sub)
	}
	k.hmacPool.New = func() any { return hmac.New(sha256.New, k.blindKey[:]) }
	return k, nil
}

// NewDataKey returns a fresh random data key.
func NewDataKey() []byte {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		panic("crypt: no randomness: " + err.Error()) // crypto/rand never fails on supported systems
	}
	return k
}

// ad builds the additional data that binds a ciphertext to its place.
func ad(buf []byte, table, id, field string) []byte {
	buf = append(buf, "tumen/v1\x00"...)
	buf = append(buf, table...)
	buf = append(buf, 0)
	buf = append(buf, id...)
	buf = append(buf, 0)
	buf = append(buf, field...)
	return buf
}

// Seal encrypts plaintext for the given table, record id and field, and
// appends the result to dst.
func (k *Keyring) Seal(dst []byte, table, id, field string, plaintext []byte) []byte {
	aead, err := chacha20poly1305.NewX(k.sealKey[:])
	if err != nil {
		panic(err) // the key size is fixed
	}
	var nonce [chacha20poly1305.NonceSizeX]byte
	if _, err := io.ReadFull(k.rand, nonce[:]); err != nil {
		panic("crypt: no randomness: " + err.Error())
	}
	var adbuf [128]byte
	dst = append(dst, version)
	dst = append(dst, nonce[:]...)
	return aead.Seal(dst, nonce[:], plaintext, ad(adbuf[:0], table, id, field))
}

// SealString is Seal for a string, returning nil for the empty string so
// that empty fields stay NULL.
func (k *Keyring) SealString(table, id, field, s string) []byte {
	if s == "" {
		return nil
	}
	return k.Seal(nil, table, id, field, []byte(s))
}

// Open decrypts a value sealed for the same table, record id and field.
func (k *Keyring) Open(table, id, field string, ciphertext []byte) ([]byte, error) {
	if len(ciphertext) < Overhead || ciphertext[0] != version {
		return nil, ErrDecrypt
	}
	aead, err := chacha20poly1305.NewX(k.sealKey[:])
	if err != nil {
		return nil, err
	}
	var adbuf [128]byte
	nonce := ciphertext[1 : 1+chacha20poly1305.NonceSizeX]
	pt, err := aead.Open(nil, nonce, ciphertext[1+chacha20poly1305.NonceSizeX:], ad(adbuf[:0], table, id, field))
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

// OpenString is Open for a string; a nil ciphertext opens to "".
func (k *Keyring) OpenString(table, id, field string, ciphertext []byte) (string, error) {
	if ciphertext == nil {
		return "", nil
	}
	b, err := k.Open(table, id, field, ciphertext)
	return string(b), err
}

// BlindSize is the length of a blind index.
const BlindSize = 16

// Blind returns the keyed blind index of a normalised lookup key of the
// given kind. Equal inputs give equal indexes; without the key nothing about
// the input can be learnt except equality with other indexes.
func (k *Keyring) Blind(kind, key string) []byte {
	m := k.hmacPool.Get().(hash.Hash)
	m.Reset()
	var lenbuf [4]byte
	binary.BigEndian.PutUint32(lenbuf[:], uint32(len(kind)))
	m.Write(lenbuf[:])
	io.WriteString(m, kind)
	io.WriteString(m, key)
	var sum [sha256.Size]byte
	out := m.Sum(sum[:0])
	k.hmacPool.Put(m)
	return append([]byte(nil), out[:BlindSize]...)
}

// AuditMAC returns a keyed hash of an audit entry's canonical bytes chained
// to the previous entry's hash. Without the key an entry cannot be forged.
func (k *Keyring) AuditMAC(prev, entry []byte) []byte {
	m := hmac.New(sha256.New, k.auditKey[:])
	m.Write(prev)
	m.Write(entry)
	return m.Sum(nil)
}

// Equal reports whether two MACs are equal, in constant time.
func Equal(a, b []byte) bool { return subtle.ConstantTimeCompare(a, b) == 1 }
