package server

import (
	"context"
	"encoding/json"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"elvcare/domain"
	"elvcare/sync"
)

// ServiceArchive is the answer of GET /api/customers/{id}/service-archive
// and of the equipment's: every ticket with its form, callback and score
// (R-ARC-4), newest first.
type ServiceArchive struct {
	Items []sync.TicketSummary `json:"items"`
}

// archiveRoutes are the customer archive (R-ARC, R-QYBS): customers,
// sites, contacts, contracts, equipment and their credentials, coverage,
// renewal reminders, reference data and archive documents.
func (s *Server) archiveRoutes() []Route {
	var rs []Route
	rs = append(rs, s.customerRoutes()...)
	rs = append(rs, s.siteRoutes()...)
	rs = append(rs, s.contactRoutes()...)
	rs = append(rs, s.contractRoutes()...)
	rs = append(rs, s.equipmentRoutes()...)
	rs = append(rs, s.fileRoutes()...)
	rs = append(rs, s.referenceRoutes()...)
	return rs
}

var (
	archiveRead  = Need(domain.PermArchiveRead)
	archiveWrite = Need(domain.PermArchiveWrite)
)

// pathID is the :id of the route, copied: Fiber reuses its buffers.
func pathID(c *fiber.Ctx) string { return utils.CopyString(c.Params("id")) }

// read answers the result of a reader called with a store timeout.
func read[T any](c *fiber.Ctx, fn func(ctx context.Context) (T, error)) error {
	ctx, cancel := storeCtx()
	defer cancel()
	v, err := fn(ctx)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(v)
}

// create decodes a body of type T and applies mutation name with it.
func create[T any](s *Server, name string) func(c *fiber.Ctx, sess *Session) error {
	return func(c *fiber.Ctx, sess *Session) error {
		var body T
		if err := decode(c, &body); err != nil {
			return err
		}
		return s.apply(c, sess, name, body, 201)
	}
}

// change decodes a body of type B, wraps it with the path id into the
// mutation's arguments and applies mutation name.
func change[B any](s *Server, name string, status int, wrap func(id string, body B) any) func(c *fiber.Ctx, sess *Session) error {
	return func(c *fiber.Ctx, sess *Session) error {
		var body B
		if err := decode(c, &body); err != nil {
			return err
		}
		return s.apply(c, sess, name, wrap(pathID(c), body), status)
	}
}

func (s *Server) customerRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/customers", Access: archiveRead, Tag: "archive", Summary: "List customers with summaries (paged, filtered)",
			Query: CustomerListQuery{}, Resp: sync.CustomerList{},
			Handle: func(c *fiber.Ctx, _ *Session) error {
				q := queryParams(c)
				cq := sync.CustomerQuery{Q: q.str("q"), District: q.str("district"), Coverage: q.coverage("coverage"),
					Stage: q.stage("stage"), EndingWithin: q.optIntPtr("endingWithin", 0, 3650), Paging: q.paging()}
				if err := q.err(); err != nil {
					return err
				}
				return read(c, func(ctx context.Context) (sync.CustomerList, error) { return s.eng.Archive().Customers(ctx, cq) })
			}},
		{Method: "POST", Path: "/api/customers", Access: archiveWrite, Tag: "archive", Summary: "Create a customer",
			Body: sync.CustomerArgs{}, Resp: domain.Customer{}, Status: 201, Mutates: true,
			Handle: create[sync.CustomerArgs](s, "customer.create")},
		{Method: "GET", Path: "/api/customers/:id", Access: archiveRead, Tag: "archive", Summary: "A customer with its sites, contacts, contracts, equipment and coverage",
			Resp: sync.CustomerDetail{},
			Handle: func(c *fiber.Ctx, _ *Session) error {
				id := pathID(c)
				return read(c, func(ctx context.Context) (sync.CustomerDetail, error) { return s.eng.Archive().Customer(ctx, id) })
			}},
		{Method: "PATCH", Path: "/api/customers/:id", Access: archiveWrite, Tag: "archive", Summary: "Change a customer; absent fields stay",
			Body: sync.CustomerPatch{}, Resp: domain.Customer{}, Mutates: true,
			Handle: change(s, "customer.update", 200, func(id string, b sync.CustomerPatch) any {
				return sync.UpdateCustomerArgs{ID: id, CustomerPatch: b}
			})},
		{Method: "GET", Path: "/api/customers/:id/service-archive", Access: archiveRead, Tag: "archive", Summary: "The customer's service archive (tickets, forms, callbacks, fees)",
			Resp: ServiceArchive{},
			Handle: func(c *fiber.Ctx, _ *Session) error {
				id := pathID(c)
				return read(c, func(ctx context.Context) (ServiceArchive, error) {
					if _, err := s.eng.Archive().CustomerByID(ctx, id); err != nil {
						return ServiceArchive{}, err
					}
					items, err := s.eng.ServiceArchive(ctx, "customer", id)
					if items == nil {
						items = []sync.TicketSummary{}
					}
					return ServiceArchive{Items: items}, err
				})
			}},
	}
}

func (s *Server) siteRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/sites", Access: archiveRead, Tag: "archive", Summary: "List sites (paged, filtered)",
			Query: SiteListQuery{}, Resp: sync.SiteList{},
			Handle: func(c *fiber.Ctx, _ *Session) error {
				q := queryParams(c)
				sq := sync.SiteQuery{CustomerID: q.str("customerId"), District: q.str("district"), Q: q.str("q"), Paging: q.paging()}
				if err := q.err(); err != nil {
					return err
				}
				return read(c, func(ctx context.Context) (sync.SiteList, error) { return s.eng.Archive().Sites(ctx, sq) })
			}},
		{Method: "POST", Path: "/api/sites", Access: archiveWrite, Tag: "archive", Summary: "Create a site of a customer",
			Body: sync.SiteArgs{}, Resp: domain.Site{}, Status: 201, Mutates: true,
			Handle: create[sync.SiteArgs](s, "site.create")},
		{Method: "GET", Path: "/api/sites/:id", Access: archiveRead, Tag: "archive", Summary: "A site",
			Resp: domain.Site{},
			Handle: func(c *fiber.Ctx, _ *Session) error {
				id := pathID(c)
				return read(c, func(ctx context.Context) (domain.Site, error) { return s.eng.Archive().Site(ctx, id) })
			}},
		{Method: "PATCH", Path: "/api/sites/:id", Access: archiveWrite, Tag: "archive", Summary: "Change a site; absent fields stay",
			Body: sync.SitePatch{}, Resp: domain.Site{}, Mutates: true,
			Handle: change(s, "site.update", 200, func(id string, b sync.SitePatch) any {
				return sync.UpdateSiteArgs{ID: id, SitePatch: b}
			})},
	}
}

func (s *Server) contactRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/contacts", Access: archiveRead, Tag: "archive", Summary: "List contacts; phone= finds a caller",
			Query: ContactListQuery{}, Resp: sync.ContactList{},
			Handle: func(c *fiber.Ctx, _ *Session) error {
				q := queryParams(c)
				cq := sync.ContactQuery{CustomerID: q.str("customerId"), SiteID: q.str("siteId"), Phone: q.str("phone"), Q: q.str("q"), Paging: q.paging()}
				if err := q.err(); err != nil {
					return err
				}
				return read(c, func(ctx context.Context) (sync.ContactList, error) { return s.eng.Archive().Contacts(ctx, cq) })
			}},
		{Method: "POST", Path: "/api/contacts", Access: archiveWrite, Tag: "archive", Summary: "Create a contact of a customer",
			Body: sync.ContactArgs{}, Resp: domain.Contact{}, Status: 201, Mutates: true,
			Handle: create[sync.ContactArgs](s, "contact.create")},
		{Method: "GET", Path: "/api/contacts/:id", Access: archiveRead, Tag: "archive", Summary: "A contact",
			Resp: domain.Contact{},
			Handle: func(c *fiber.Ctx, _ *Session) error {
				id := pathID(c)
				return read(c, func(ctx context.Context) (domain.Contact, error) { return s.eng.Archive().Contact(ctx, id) })
			}},
		{Method: "PATCH", Path: "/api/contacts/:id", Access: archiveWrite, Tag: "archive", Summary: "Change a contact; absent fields stay",
			Body: sync.ContactPatch{}, Resp: domain.Contact{}, Mutates: true,
			Handle: change(s, "contact.update", 200, func(id string, b sync.ContactPatch) any {
				return sync.UpdateContactArgs{ID: id, ContactPatch: b}
			})},
	}
}

func (s *Server) contractRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/contracts", Access: archiveRead, Tag: "archive", Summary: "List contracts, soonest to end first (paged, filtered)",
			Query: ContractListQuery{}, Resp: sync.ContractList{},
			Handle: func(c *fiber.Ctx, _ *Session) error {
				q := queryParams(c)
				cq := sync.ContractQuery{CustomerID: q.str("customerId"), SiteID: q.str("siteId"), Kind: q.contractKind("kind"),
					Stage: q.stage("stage"), EndingWithin: q.optIntPtr("endingWithin", 0, 3650), Q: q.str("q"), Paging: q.paging()}
				if err := q.err(); err != nil {
					return err
				}
				return read(c, func(ctx context.Context) (sync.ContractList, error) { return s.eng.Archive().Contracts(ctx, cq) })
			}},
		// Before /api/contracts/:id, which would take "ending" for an id.
		{Method: "GET", Path: "/api/contracts/ending", Access: archiveRead, Tag: "archive", Summary: "Renewal reminders: contracts ending within days (default 60), not yet renewed",
			Query: EndingQuery{}, Resp: sync.ContractEndingList{},
			Handle: func(c *fiber.Ctx, _ *Session) error {
				q := queryParams(c)
				days := q.intIn("days", 60, 0, 3650)
				if err := q.err(); err != nil {
					return err
				}
				return read(c, func(ctx context.Context) (sync.ContractEndingList, error) {
					return s.eng.Archive().ContractsEnding(ctx, days)
				})
			}},
		{Method: "POST", Path: "/api/contracts", Access: archiveWrite, Tag: "archive", Summary: "Register a contract (starts at Q, or at B when audited before the system)",
			Body: sync.ContractArgs{}, Resp: domain.Contract{}, Status: 201, Mutates: true,
			Handle: create[sync.ContractArgs](s, "contract.create")},
		{Method: "GET", Path: "/api/contracts/:id", Access: archiveRead, Tag: "archive", Summary: "A contract with its stage history and audit",
			Resp: domain.Contract{},
			Handle: func(c *fiber.Ctx, _ *Session) error {
				id := pathID(c)
				return read(c, func(ctx context.Context) (domain.Contract, error) { return s.eng.Archive().Contract(ctx, id) })
			}},
		{Method: "PATCH", Path: "/api/contracts/:id", Access: archiveWrite, Tag: "archive", Summary: "Change a contract's terms; absent fields stay",
			Body: sync.ContractPatch{}, Resp: domain.Contract{}, Mutates: true,
			Handle: change(s, "contract.update", 200, func(id string, b sync.ContractPatch) any {
				return sync.UpdateContractArgs{ID: id, ContractPatch: b}
			})},
		{Method: "POST", Path: "/api/contracts/:id/stage", Access: archiveWrite, Tag: "archive", Summary: "Move a contract to its next stage (Q→Y→B→S)",
			Body: sync.StageMove{}, Resp: domain.Contract{}, Mutates: true,
			Handle: change(s, "contract.moveStage", 200, func(id string, b sync.StageMove) any {
				return sync.MoveStageArgs{ID: id, StageMove: b}
			})},
		{Method: "POST", Path: "/api/contracts/:id/audit", Access: archiveWrite, Tag: "archive", Summary: "Record the Y audit: completion documents and verdict",
			Body: sync.AuditArgs{}, Resp: domain.Contract{}, Mutates: true,
			Handle: change(s, "contract.recordAudit", 200, func(id string, b sync.AuditArgs) any {
				return sync.RecordAuditArgs{ID: id, AuditArgs: b}
			})},
		{Method: "POST", Path: "/api/contracts/:id/renew", Access: archiveWrite, Tag: "archive", Summary: "Register the contract that renews or supplements one at S",
			Body: sync.RenewalArgs{}, Resp: domain.Contract{}, Status: 201, Mutates: true,
			Handle: change(s, "contract.renew", 201, func(id string, b sync.RenewalArgs) any {
				return sync.RenewContractArgs{PreviousID: id, RenewalArgs: b}
			})},
	}
}

func (s *Server) equipmentRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/equipment", Access: archiveRead, Tag: "archive", Summary: "List equipment (paged, filtered)",
			Query: EquipmentListQuery{}, Resp: sync.EquipmentList{},
			Handle: func(c *fiber.Ctx, _ *Session) error {
				q := queryParams(c)
				eq := sync.EquipmentQuery{CustomerID: q.str("customerId"), SiteID: q.str("siteId"), System: q.system("system"),
					ItemType: q.itemType("itemType"), IncludeRetired: q.boolean("includeRetired"), Q: q.str("q"), Paging: q.paging()}
				if err := q.err(); err != nil {
					return err
				}
				return read(c, func(ctx context.Context) (sync.EquipmentList, error) { return s.eng.Archive().Equipment(ctx, eq) })
			}},
		{Method: "POST", Path: "/api/equipment", Access: archiveWrite, Tag: "archive", Summary: "Add equipment at a site (gets its QR token)",
			Body: sync.EquipmentArgs{}, Resp: sync.EquipmentRecord{}, Status: 201, Mutates: true,
			Handle: create[sync.EquipmentArgs](s, "equipment.create")},
		{Method: "GET", Path: "/api/equipment/:id", Access: archiveRead, Tag: "archive", Summary: "A piece of equipment with its site, customer and coverage today",
			Resp: sync.EquipmentDetail{},
			Handle: func(c *fiber.Ctx, _ *Session) error {
				id := pathID(c)
				return read(c, func(ctx context.Context) (sync.EquipmentDetail, error) { return s.eng.Archive().EquipmentByID(ctx, id) })
			}},
		{Method: "PATCH", Path: "/api/equipment/:id", Access: archiveWrite, Tag: "archive", Summary: "Change equipment; absent fields stay",
			Body: sync.EquipmentPatch{}, Resp: sync.EquipmentRecord{}, Mutates: true,
			Handle: change(s, "equipment.update", 200, func(id string, b sync.EquipmentPatch) any {
				return sync.UpdateEquipmentArgs{ID: id, EquipmentPatch: b}
			})},
		{Method: "POST", Path: "/api/equipment/:id/retire", Access: archiveWrite, Tag: "archive", Summary: "Retire equipment (kept for its history)",
			Body: sync.Retirement{}, Resp: sync.EquipmentRecord{}, Mutates: true,
			Handle: change(s, "equipment.retire", 200, func(id string, b sync.Retirement) any {
				return sync.RetireEquipmentArgs{ID: id, Retirement: b}
			})},
		// The credential routes do not honour Idempotency-Key: the set's
		// body and the reveal's answer hold a password, and an idempotency
		// record would keep a hash of the one or the clear text of the
		// other. A retried set stores the same credential again; a retried
		// reveal is another audited reveal.
		{Method: "POST", Path: "/api/equipment/:id/credential", Access: archiveWrite, Tag: "archive", Summary: "Store the device's admin credential (encrypted)",
			Body: sync.Credential{}, Resp: sync.CredentialInfo{},
			Handle: func(c *fiber.Ctx, sess *Session) error {
				var body sync.Credential
				if err := decode(c, &body); err != nil {
					return err
				}
				return s.applyNoKey(c, sess, "credential.set", sync.SetCredentialArgs{EquipmentID: pathID(c), Credential: body})
			}},
		{Method: "POST", Path: "/api/equipment/:id/credential/reveal", Access: Need(domain.PermCredentialRead), Tag: "archive",
			Summary: "Reveal the device's credential; every reveal is in the audit log",
			Resp:    sync.RevealedCredential{},
			Handle: func(c *fiber.Ctx, sess *Session) error {
				c.Set(fiber.HeaderCacheControl, "no-store")
				return s.applyNoKey(c, sess, "credential.reveal", sync.RevealCredentialArgs{EquipmentID: pathID(c)})
			}},
		{Method: "GET", Path: "/api/equipment/:id/credential/reveals", Access: Need(domain.PermAuditRead), Tag: "archive",
			Summary: "Who revealed the device's credential, newest first",
			Resp:    []sync.CredentialReveal{},
			Handle: func(c *fiber.Ctx, _ *Session) error {
				id := pathID(c)
				return read(c, func(ctx context.Context) ([]sync.CredentialReveal, error) {
					if _, err := s.eng.Archive().EquipmentByID(ctx, id); err != nil {
						return nil, err
					}
					rs, err := s.eng.Archive().Reveals(ctx, id)
					if rs == nil {
						rs = []sync.CredentialReveal{}
					}
					return rs, err
				})
			}},
		{Method: "GET", Path: "/api/coverage", Access: archiveRead, Tag: "archive", Summary: "The coverage of a system at a site on a day (default today)",
			Query: CoverageQuery{}, Resp: sync.CoverageAnswer{},
			Handle: func(c *fiber.Ctx, _ *Session) error {
				q := queryParams(c)
				siteID := q.str("siteId")
				if siteID == "" {
					q.p.Add("siteId", "required")
				}
				if q.str("system") == "" {
					q.p.Add("system", "required")
				}
				sys, day := q.system("system"), q.date("date")
				if err := q.err(); err != nil {
					return err
				}
				return read(c, func(ctx context.Context) (sync.CoverageAnswer, error) {
					return s.eng.Archive().Coverage(ctx, siteID, sys, day)
				})
			}},
	}
}

func (s *Server) referenceRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/reference", Access: Need(domain.PermSelf), Tag: "archive",
			Summary: "Systems, item types, districts, contract kinds and stages with their Chinese labels",
			Resp:    sync.Reference{},
			Handle: func(c *fiber.Ctx, _ *Session) error {
				c.Set(fiber.HeaderCacheControl, "private, max-age=3600")
				return c.JSON(sync.ArchiveReference())
			}},
	}
}

// applyNoKey applies a mutation for the session's user without an
// idempotency key, and answers its result with 200.
func (s *Server) applyNoKey(c *fiber.Ctx, sess *Session, name string, args any) error {
	raw, err := json.Marshal(args)
	if err != nil {
		return err
	}
	ctx, cancel := storeCtx()
	defer cancel()
	res, err := s.eng.Apply(ctx, sess.Actor(), sync.Mutation{Name: name, Args: raw})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(res)
}
