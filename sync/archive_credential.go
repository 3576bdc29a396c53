package sync

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"elvcare/domain"
	"elvcare/sync/store"
)

// Credential is a device's admin login (an NVR, an alarm panel, a switch;
// R-ARC-3). It is stored encrypted and shown only on an audited reveal.
type Credential struct {
	Username string `json:"username,omitempty"`
	Password string `json:"password"`
	Note     string `json:"note,omitempty"`
}

// SetCredentialArgs are the arguments of credential.set: the credential
// replaces any stored before.
type SetCredentialArgs struct {
	EquipmentID string `json:"equipmentId"`
	Credential
}

// RevealCredentialArgs are the arguments of credential.reveal.
type RevealCredentialArgs struct {
	EquipmentID string `json:"equipmentId"`
}

// CredentialInfo is what may be known of a stored credential without
// revealing it: the answer of credential.set and what the change feed and
// the audit log carry.
type CredentialInfo struct {
	EquipmentID string    `json:"equipmentId"`
	SetAt       time.Time `json:"setAt"`
	SetBy       string    `json:"setBy"`
}

// RevealedCredential is the answer of credential.reveal.
type RevealedCredential struct {
	Credential
	EquipmentID string    `json:"equipmentId"`
	SetAt       time.Time `json:"setAt"`
	SetBy       string    `json:"setBy"`
}

// CredentialReveal is the record of one reveal: who saw which device's
// credential, when. Each is also an audit-log entry.
type CredentialReveal struct {
	ID          string    `json:"id"`
	EquipmentID string    `json:"equipmentId"`
	CustomerID  string    `json:"customerId"`
	By          string    `json:"by"`
	Via         string    `json:"via"`
	At          time.Time `json:"at"`
}

// credentialRecord is the stored form: AES-256-GCM ciphertext of the
// Credential's JSON, bound to the equipment id, and the key's fingerprint
// so a changed key is told apart from a damaged record.
type credentialRecord struct {
	EquipmentID string    `json:"equipmentId"`
	KeyID       string    `json:"keyId"`
	Nonce       []byte    `json:"nonce"`
	Ciphertext  []byte    `json:"ciphertext"`
	SetAt       time.Time `json:"setAt"`
	SetBy       string    `json:"setBy"`
}

// CredentialKeySize is the size of the credential key: AES-256.
const CredentialKeySize = 32

// Errors of credentials.
var (
	ErrCredentialNotSet     = domain.E(domain.KindNotFound, "credential.not_set")
	ErrCredentialUnreadable = domain.E(domain.KindConflict, "credential.unreadable")
	errNoCredentialKey      = errors.New("sync: no 32-byte credential key configured (sync.Options.CredentialKey)")
)

// credentialAAD binds a ciphertext to its equipment: a record copied onto
// another device's id does not decrypt.
func credentialAAD(equipmentID string) []byte {
	return []byte("elvcare credential v1\x00" + equipmentID)
}

func (e *Engine) credentialAEAD() (cipher.AEAD, string, error) {
	if len(e.credKey) != CredentialKeySize {
		return nil, "", errNoCredentialKey
	}
	block, err := aes.NewCipher(e.credKey)
	if err != nil {
		return nil, "", err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(append([]byte("elvcare key id\x00"), e.credKey...))
	return aead, hex.EncodeToString(sum[:8]), nil
}

func (cr Credential) validate() error {
	p := domain.Problems{}
	check := func(field, v string, max int, required bool) {
		switch {
		case strings.TrimSpace(v) == "":
			if required {
				p.Add(field, "required")
			}
		case !utf8.ValidString(v):
			p.Add(field, "invalid_text")
		case utf8.RuneCountInString(v) > max:
			p.Add(field, "too_long")
		}
	}
	check("username", cr.Username, 100, false)
	check("password", cr.Password, 200, true)
	check("note", cr.Note, 500, false)
	return p.Err()
}

func setCredential(c *Ctx, raw json.RawMessage) (any, error) {
	var a SetCredentialArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	var eq EquipmentRecord
	if err := getTarget(c, CollEquipment, a.EquipmentID, &eq); err != nil {
		return nil, err
	}
	if eq.Retired {
		return nil, ErrEquipmentRetired
	}
	cr := Credential{Username: strings.TrimSpace(a.Username), Password: a.Password, Note: strings.TrimSpace(a.Note)}
	if err := cr.validate(); err != nil {
		return nil, err
	}
	aead, keyID, err := c.e.credentialAEAD()
	if err != nil {
		return nil, err
	}
	plain, err := json.Marshal(cr)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	rec := credentialRecord{EquipmentID: eq.ID, KeyID: keyID, Nonce: nonce,
		Ciphertext: aead.Seal(nil, nonce, plain, credentialAAD(eq.ID)), SetAt: c.Now, SetBy: actorRef(c.Actor)}
	info := CredentialInfo{EquipmentID: eq.ID, SetAt: rec.SetAt, SetBy: rec.SetBy}
	if err := c.Put(CollCredentials, eq.ID, rec, PutOpts{Scopes: credentialScopes, Public: info}); err != nil {
		return nil, err
	}
	if !eq.HasCredential {
		eq.HasCredential = true
		if err := putEquipment(c, eq); err != nil {
			return nil, err
		}
	}
	return info, nil
}

// revealCredential decrypts a device's credential and records who saw it.
// The answer holds the clear text, so callers must not send it with an
// idempotency key (that would store it) or queue it offline.
func revealCredential(c *Ctx, raw json.RawMessage) (any, error) {
	var a RevealCredentialArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	var eq EquipmentRecord
	if err := getTarget(c, CollEquipment, a.EquipmentID, &eq); err != nil {
		return nil, err
	}
	var rec credentialRecord
	if err := getTarget(c, CollCredentials, eq.ID, &rec); err != nil {
		if domain.KindOf(err) == domain.KindNotFound {
			return nil, ErrCredentialNotSet
		}
		return nil, err
	}
	aead, keyID, err := c.e.credentialAEAD()
	if err != nil {
		return nil, err
	}
	if rec.KeyID != keyID || len(rec.Nonce) != aead.NonceSize() {
		return nil, ErrCredentialUnreadable.Wrap(errors.New("stored with another key"))
	}
	plain, err := aead.Open(nil, rec.Nonce, rec.Ciphertext, credentialAAD(eq.ID))
	if err != nil {
		return nil, ErrCredentialUnreadable.Wrap(err)
	}
	var cr Credential
	if err := json.Unmarshal(plain, &cr); err != nil {
		return nil, ErrCredentialUnreadable.Wrap(err)
	}
	rv := CredentialReveal{ID: NewID(), EquipmentID: eq.ID, CustomerID: eq.CustomerID, By: actorRef(c.Actor), Via: c.Actor.Via, At: c.Now}
	if err := c.Put(CollCredentialReveal, rv.ID, rv, PutOpts{Scopes: []string{"role:admin"}, Index: []store.Index{
		{Name: IdxEquip, Value: eq.ID}, {Name: IdxUser, Value: rv.By},
	}}); err != nil {
		return nil, err
	}
	return RevealedCredential{Credential: cr, EquipmentID: eq.ID, SetAt: rec.SetAt, SetBy: rec.SetBy}, nil
}

// CanStoreCredentials tells whether the engine has a credential key.
func (e *Engine) CanStoreCredentials() bool { return len(e.credKey) == CredentialKeySize }
