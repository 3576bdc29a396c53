// Package sync is ELVcare's one write path. Every business write — the desk
// online, a technician's offline batch, a customer's QR report, a scheduled
// job — is a named mutation that the Engine authorizes, hands to the domain,
// stores, appends to the change feed and audits, all in one transaction.
package sync

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"elvcare/domain"
	"elvcare/sync/search"
	"elvcare/sync/store"
)

// Actor is who makes a mutation and through what.
type Actor struct {
	UserID string        `json:"userId,omitempty"`
	Roles  []domain.Role `json:"roles,omitempty"`
	// Device is the client id of the device (an offline client) or "" for
	// an online request.
	Device string `json:"device,omitempty"`
	// Via is "web", "device", "cli", "public" or "system".
	Via string `json:"via"`
}

// System is the actor of scheduled jobs and the command line.
var System = Actor{Via: "system", Roles: []domain.Role{domain.RoleAdmin, domain.RoleDesk, domain.RoleManager}}

// Mutation is a named intention with typed arguments.
type Mutation struct {
	Name string          `json:"name"`
	Args json.RawMessage `json:"args"`
	// DeviceTime is when the device says it happened; kept for audit.
	DeviceTime *time.Time `json:"deviceTime,omitempty"`
	// IdempotencyKey makes an online retry return the first answer.
	IdempotencyKey string `json:"-"`
	// Fingerprint identifies the request behind the key (the server hashes
	// the request it received, since arguments it derives, such as a
	// password hash, differ between retries); empty means the arguments.
	Fingerprint string `json:"-"`
}

// Handler applies one mutation kind inside a transaction. It returns the
// value answered to the caller (encoded as JSON) or an error; on error
// nothing it wrote is kept.
type Handler func(c *Ctx, args json.RawMessage) (any, error)

type registration struct {
	perm domain.Permission
	h    Handler
	// decode and run are h in two steps, for handlers registered with
	// registerTyped: a push decodes its batch's arguments on the caller's
	// goroutine, before the batch queues for the store's writer.
	decode func(json.RawMessage) (any, error)
	run    func(*Ctx, any) (any, error)
}

// registerTyped adds a mutation kind whose arguments decode into A.
func registerTyped[A any](e *Engine, name string, perm domain.Permission, h func(*Ctx, A) (any, error)) {
	decode := func(raw json.RawMessage) (any, error) {
		var a A
		err := DecodeArgs(raw, &a)
		return a, err
	}
	run := func(c *Ctx, a any) (any, error) { return h(c, a.(A)) }
	e.register(name, registration{perm: perm, decode: decode, run: run, h: func(c *Ctx, raw json.RawMessage) (any, error) {
		a, err := decode(raw)
		if err != nil {
			return nil, err
		}
		return run(c, a)
	}})
}

// Clock gives the time; tests hand in a fixed one.
type Clock func() time.Time

// Engine applies mutations.
type Engine struct {
	st       store.Store
	now      Clock
	log      *slog.Logger
	handlers map[string]registration
	credKey  []byte // AES-256 key of device credentials
	search   *search.Index
	zone     *time.Location // business rules' time zone
	objs     *objCache      // what device mutations wrote, for the next ones
}

// Options configure an Engine.
type Options struct {
	Store  store.Store
	Clock  Clock        // default time.Now
	Logger *slog.Logger // default slog.Default()
	// CredentialKey is the 32-byte AES-256 key that encrypts device
	// credentials at rest (DATA/secret.key); without it they cannot be set
	// or revealed.
	CredentialKey []byte
	// Zone is where business days are counted (coverage, contract ends);
	// default Asia/Shanghai.
	Zone *time.Location
	// Search is the Chinese search index over the archive (a projection of
	// the change feed); nil lists fall back to matching what they scan.
	Search *search.Index
}

// New returns an Engine with every mutation of the program registered.
func New(o Options) *Engine {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Zone == nil {
		o.Zone = DefaultZone()
	}
	e := &Engine{st: o.Store, now: o.Clock, log: o.Logger, handlers: map[string]registration{},
		credKey: o.CredentialKey, zone: o.Zone, search: o.Search, objs: newObjCache()}
	registerUsers(e)
	registerSettings(e)
	registerArchive(e)
	registerTickets(e)
	registerTemplates(e)
	return e
}

// Register adds a mutation kind; perm is checked before h runs.
func (e *Engine) Register(name string, perm domain.Permission, h Handler) {
	e.register(name, registration{perm: perm, h: h})
}

func (e *Engine) register(name string, r registration) {
	if _, dup := e.handlers[name]; dup {
		panic("sync: mutation registered twice: " + name)
	}
	e.handlers[name] = r
}

// Known tells whether a mutation name is registered.
func (e *Engine) Known(name string) bool { _, ok := e.handlers[name]; return ok }

// Store is the store the engine writes to, for reads.
func (e *Engine) Store() store.Store { return e.st }

// Now is the engine's clock.
func (e *Engine) Now() time.Time { return e.now() }

// ErrUnknownMutation is returned for a name no handler has.
var ErrUnknownMutation = domain.E(domain.KindInvalid, "unknown_mutation")

// ErrIdempotencyReuse: the same key was sent with a different request.
var ErrIdempotencyReuse = domain.E(domain.KindInvalid, "idempotency_key_reused")

// Apply runs m for a in one durable transaction and returns the handler's
// answer as JSON. A retry with the same idempotency key returns the first
// answer and changes nothing.
func (e *Engine) Apply(ctx context.Context, a Actor, m Mutation) (json.RawMessage, error) {
	var out json.RawMessage
	err := e.st.Update(ctx, func(tx store.Tx) error {
		res, err := e.applyIn(tx, a, m)
		out = res
		return err
	})
	if err != nil {
		return nil, storeErr(err)
	}
	return out, nil
}

// applyIn applies m inside tx; the push of a batch calls it once per
// mutation within one transaction.
func (e *Engine) applyIn(tx store.Tx, a Actor, m Mutation) (json.RawMessage, error) {
	reg, ok := e.handlers[m.Name]
	if !ok {
		return nil, ErrUnknownMutation.With("name", m.Name)
	}
	if !domain.Can(a.Roles, reg.perm) {
		return nil, domain.ErrForbidden
	}
	var idemID string
	if m.IdempotencyKey != "" {
		idemID = a.UserID + "\x01" + m.IdempotencyKey
		if prev, err := getIdem(tx, idemID); err == nil {
			if prev.Name != m.Name || prev.ArgsHash != m.fingerprint() {
				return nil, ErrIdempotencyReuse
			}
			return prev.Result, nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	c := &Ctx{tx: tx, Actor: a, Now: e.now().UTC(), e: e, mutation: m.Name}
	val, err := reg.h(c, m.Args)
	if err != nil {
		return nil, err
	}
	res, err := json.Marshal(val)
	if err != nil {
		return nil, fmt.Errorf("encode result of %s: %w", m.Name, err)
	}
	if err := c.writeAudit(m); err != nil {
		return nil, err
	}
	if idemID != "" {
		if err := putIdem(tx, idemID, idemRecord{Name: m.Name, ArgsHash: m.fingerprint(), Result: res, At: c.Now}); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// storeErr turns store failures a user can act on into domain errors.
func storeErr(err error) error {
	switch {
	case errors.Is(err, store.ErrDiskFull):
		return domain.ErrDiskFull.Wrap(err)
	case errors.Is(err, store.ErrTooBig):
		return domain.ErrTooLarge.Wrap(err)
	case errors.Is(err, store.ErrNotFound):
		return domain.ErrNotFound.Wrap(err)
	}
	return err
}

// NewID returns a UUIDv7: time-ordered, so ids sort by creation.
func NewID() string { return idSource() }

var idSource = randomID

// SetIDSource replaces the id generator (golden-file tests need the same
// ids every run) and returns a function that restores it.
func SetIDSource(f func() string) (restore func()) {
	old := idSource
	idSource = f
	return func() { idSource = old }
}

// SequentialIDs returns a generator of valid UUIDv7s derived from a fixed
// time and a counter, for tests.
func SequentialIDs(at time.Time) func() string {
	var n uint64
	return func() string {
		n++
		var b [16]byte
		ms := uint64(at.UnixMilli())
		for i := 0; i < 6; i++ {
			b[i] = byte(ms >> (40 - 8*i))
		}
		b[6] = 0x70 | byte(n>>56)&0x0f
		b[7] = byte(n >> 48)
		b[8] = 0x80 | byte(n>>40)&0x3f
		for i := 9; i < 16; i++ {
			b[i] = byte(n >> (8 * (15 - i)))
		}
		return uuid.UUID(b).String()
	}
}

func randomID() string {
	id, err := uuid.NewV7()
	if err != nil {
		// NewV7 fails only if the system random source does.
		panic(err)
	}
	return id.String()
}

// RandomToken returns n random bytes from crypto/rand, hex encoded.
func RandomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return fmt.Sprintf("%x", b)
}

func (m Mutation) fingerprint() string {
	if m.Fingerprint != "" {
		return m.Fingerprint
	}
	return hashArgs(m.Args)
}

// ApplyAll applies the mutations in order in ONE durable transaction: all
// of them or none (an import, a scripted change). The first failure is
// returned with its index and nothing is written.
func (e *Engine) ApplyAll(ctx context.Context, a Actor, ms []Mutation) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, len(ms))
	err := e.st.Update(ctx, func(tx store.Tx) error {
		for i, m := range ms {
			res, err := e.applyIn(tx, a, m)
			if err != nil {
				return &BatchError{Index: i, Err: err}
			}
			out[i] = res
		}
		return nil
	})
	if err != nil {
		return nil, storeErr(err)
	}
	return out, nil
}

// BatchError tells which mutation of an ApplyAll failed.
type BatchError struct {
	Index int
	Err   error
}

func (b *BatchError) Error() string { return fmt.Sprintf("mutation %d: %v", b.Index, b.Err) }
func (b *BatchError) Unwrap() error { return b.Err }

// Search is the search index, or nil.
func (e *Engine) Search() *search.Index { return e.search }
