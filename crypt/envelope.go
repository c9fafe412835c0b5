package crypt

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// Params are the Argon2id cost parameters.
type Params struct {
	Time    uint32 `json:"t"`
	Memory  uint32 `json:"m"` // KiB
	Threads uint8  `json:"p"`
}

// DefaultParams follow RFC 9106's second recommended option (64 MiB, three
// passes), which takes a fraction of a second on a small machine.
var DefaultParams = Params{Time: 3, Memory: 64 * 1024, Threads: 2}

// TestParams are cheap parameters for tests only.
var TestParams = Params{Time: 1, Memory: 1024, Threads: 1}

// ErrLocked is returned when the secrets given do not unwrap the data key.
var ErrLocked = errors.New("wrong passphrase or key file: the store stays locked")

// Secrets are what unlocks a store: a passphrase, the contents of a key
// file, or both. Which of them a store needs is fixed when its key is
// wrapped.
type Secrets struct {
	Passphrase []byte
	KeyFile    []byte
}

// Envelope is the wrapped data key with what is needed to unwrap it. It is
// stored beside the data: without the secrets it reveals nothing.
type Envelope struct {
	Version    int    `json:"v"`
	Passphrase bool   `json:"passphrase"` // a passphrase is needed
	KeyFile    bool   `json:"key_file"`   // a key file is needed
	Params     Params `json:"argon2id"`
	Salt       []byte `json:"salt"`
	Wrapped    []byte `json:"wrapped"`
}

// kek derives the key-encryption key from the secrets.
func kek(s Secrets, p Params, salt []byte, needPass, needFile bool) ([]byte, error) {
	if needPass && len(s.Passphrase) == 0 {
		return nil, errors.New("this store needs a passphrase")
	}
	if needFile && len(s.KeyFile) == 0 {
		return nil, errors.New("this store needs its key file")
	}
	var ikm []byte
	if needPass {
		ikm = append(ikm, argon2.IDKey(s.Passphrase, salt, p.Time, p.Memory, p.Threads, KeySize)...)
	}
	if needFile {
		ikm = append(ikm, s.KeyFile...)
	}
	defer clear(ikm)
	return hkdf.Key(sha256.New, ikm, salt, "tumen/v1/kek", KeySize)
}

// Wrap wraps dataKey under the given secrets: every secret given becomes
// required to unwrap it.
func Wrap(dataKey []byte, s Secrets, p Params) (*Envelope, error) {
	if len(s.Passphrase) == 0 && len(s.KeyFile) == 0 {
		return nil, errors.New("a passphrase or a key file is needed to protect the store")
	}
	if len(dataKey) != KeySize {
		return nil, fmt.Errorf("crypt: data key is %d bytes, want %d", len(dataKey), KeySize)
	}
	e := &Envelope{Version: 1, Passphrase: len(s.Passphrase) > 0, KeyFile: len(s.KeyFile) > 0, Params: p, Salt: make([]byte, 16)}
	if _, err := rand.Read(e.Salt); err != nil {
		return nil, err
	}
	k, err := kek(s, p, e.Salt, e.Passphrase, e.KeyFile)
	if err != nil {
		return nil, err
	}
	defer clear(k)
	aead, err := chacha20poly1305.NewX(k)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	e.Wrapped = aead.Seal(nonce, nonce, dataKey, []byte("tumen/v1/data-key"))
	return e, nil
}

// Unwrap returns the data key, or ErrLocked when the secrets are wrong.
func (e *Envelope) Unwrap(s Secrets) ([]byte, error) {
	if e.Version != 1 {
		return nil, fmt.Errorf("unknown key envelope version %d", e.Version)
	}
	k, err := kek(s, e.Params, e.Salt, e.Passphrase, e.KeyFile)
	if err != nil {
		return nil, err
	}
	defer clear(k)
	aead, err := chacha20poly1305.NewX(k)
	if err != nil {
		return nil, err
	}
	if len(e.Wrapped) < chacha20poly1305.NonceSizeX+chacha20poly1305.Overhead {
		return nil, errors.New("damaged key envelope")
	}
	nonce, ct := e.Wrapped[:chacha20poly1305.NonceSizeX], e.Wrapped[chacha20poly1305.NonceSizeX:]
	dk, err := aead.Open(nil, nonce, ct, []byte("tumen/v1/data-key"))
	if err != nil {
		return nil, ErrLocked
	}
	return dk, nil
}

// Marshal encodes the envelope for storage.
func (e *Envelope) Marshal() ([]byte, error) { return json.Marshal(e) }

// UnmarshalEnvelope decodes a stored envelope.
func UnmarshalEnvelope(b []byte) (*Envelope, error) {
	var e Envelope
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, fmt.Errorf("damaged key envelope: %w", err)
	}
	return &e, nil
}

// NewKeyFile returns the contents of a new random key file.
func NewKeyFile() []byte { return NewDataKey() }
