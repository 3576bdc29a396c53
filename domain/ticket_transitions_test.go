package domain_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"elvcare/domain"
)

// ticketExpectedMoves is R-TKT-STATES written out by hand, apart from the
// table in the code: "from to actor,actor".
const ticketExpectedMoves = `
new         assigned     desk,manager
new         escalated    desk
new         cancelled    desk,manager
escalated   assigned     manager
escalated   cancelled    desk,manager
assigned    assigned     desk,manager
assigned    accepted     technician
assigned    cancelled    desk,manager
accepted    appointed    technician
accepted    assigned     desk,manager
appointed   en_route     technician
appointed   on_site      technician
appointed   assigned     desk,manager
en_route    on_site      technician
on_site     resulted     technician
resulted    signed       technician,desk
signed      returned     system,desk
returned    called_back  desk
called_back archived     desk
called_back reopened     desk
`

func ticketExpected(t *testing.T) map[string]bool {
	t.Helper()
	allowed := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(ticketExpectedMoves), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			t.Fatalf("bad line %q", line)
		}
		for _, a := range strings.Split(f[2], ",") {
			allowed[f[0]+" "+f[1]+" "+a] = true
		}
	}
	return allowed
}

func TestCanMoveEveryPair(t *testing.T) {
	allowed := ticketExpected(t)
	pairs := map[string]bool{}
	for k := range allowed {
		f := strings.Fields(k)
		pairs[f[0]+" "+f[1]] = true
	}
	states := domain.TicketStates()
	if len(states) != 14 {
		t.Fatalf("%d states, want 14", len(states))
	}
	found := 0
	for _, from := range states {
		for _, to := range states {
			for _, actor := range domain.Actors() {
				key := string(from) + " " + string(to) + " " + string(actor)
				err := domain.CanMove(from, to, actor)
				switch {
				case allowed[key]:
					found++
					if err != nil {
						t.Errorf("%s: refused: %v", key, err)
					}
				case pairs[string(from)+" "+string(to)]:
					if arCode(err) != "ticket.actor_not_allowed" || domain.KindOf(err) != domain.KindForbidden {
						t.Errorf("%s: err = %v, want ticket.actor_not_allowed", key, err)
					}
				default:
					if arCode(err) != "ticket.bad_transition" || domain.KindOf(err) != domain.KindConflict {
						t.Errorf("%s: err = %v, want ticket.bad_transition", key, err)
					}
				}
			}
		}
	}
	if found != len(allowed) {
		t.Errorf("%d allowed moves found, expected list has %d", found, len(allowed))
	}
}

func TestCanMoveInvalid(t *testing.T) {
	tests := []struct {
		name     string
		from, to domain.TicketState
		actor    domain.Actor
		code     string
	}{
		{"unknown from", "draft", domain.TicketAssigned, domain.ActorDesk, "ticket.invalid_state"},
		{"unknown to", domain.TicketNew, "done", domain.ActorDesk, "ticket.invalid_state"},
		{"empty state", "", domain.TicketNew, domain.ActorDesk, "ticket.invalid_state"},
		{"unknown actor", domain.TicketNew, domain.TicketAssigned, "finance", "ticket.invalid_actor"},
		{"empty actor", domain.TicketNew, domain.TicketAssigned, "", "ticket.invalid_actor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := domain.CanMove(tt.from, tt.to, tt.actor)
			if arCode(err) != tt.code || domain.KindOf(err) != domain.KindInvalid {
				t.Errorf("err = %v, want %s", err, tt.code)
			}
		})
	}
}

func TestCanMoveErrorParams(t *testing.T) {
	err := domain.CanMove(domain.TicketOnSite, domain.TicketSigned, domain.ActorTechnician)
	var de *domain.Error
	if !asDomainError(err, &de) {
		t.Fatalf("err = %v", err)
	}
	want := map[string]string{"from": "on_site", "to": "signed"}
	if diff := cmp.Diff(de.Params, want); diff != "" {
		t.Errorf("params (-got +want):\n%s", diff)
	}
	if domain.ErrTicketBadTransition.Params != nil {
		t.Error("the shared error was modified")
	}
}

func TestCheckTicketMove(t *testing.T) {
	tests := []struct {
		name     string
		from, to domain.TicketState
		actor    domain.Actor
		reason   string
		want     map[string]string
		code     string
	}{
		{"cancel with reason", domain.TicketNew, domain.TicketCancelled, domain.ActorDesk, "客户已自行解决", nil, ""},
		{"cancel without reason", domain.TicketAssigned, domain.TicketCancelled, domain.ActorManager, "  ", map[string]string{"reason": "required"}, "invalid"},
		{"escalated cancel without reason", domain.TicketEscalated, domain.TicketCancelled, domain.ActorDesk, "", map[string]string{"reason": "required"}, "invalid"},
		{"reason too long", domain.TicketNew, domain.TicketCancelled, domain.ActorDesk, strings.Repeat("因", 2001), map[string]string{"reason": "too_long"}, "invalid"},
		{"assign needs no reason", domain.TicketNew, domain.TicketAssigned, domain.ActorDesk, "", nil, ""},
		{"reason on another move is a note", domain.TicketAssigned, domain.TicketAssigned, domain.ActorDesk, "王工临时有事", nil, ""},
		{"table first", domain.TicketOnSite, domain.TicketCancelled, domain.ActorDesk, "x", nil, "ticket.bad_transition"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := domain.CheckTicketMove(tt.from, tt.to, tt.actor, tt.reason)
			if arCode(err) != tt.code {
				t.Fatalf("err = %v, want code %q", err, tt.code)
			}
			if tt.code == "invalid" || tt.code == "" {
				if diff := cmp.Diff(arFields(t, err), tt.want); diff != "" {
					t.Errorf("problems (-got +want):\n%s", diff)
				}
			}
		})
	}
}

func TestNextTicketStates(t *testing.T) {
	tests := []struct {
		from  domain.TicketState
		actor domain.Actor
		want  []domain.TicketState
	}{
		{domain.TicketNew, domain.ActorDesk, []domain.TicketState{"escalated", "assigned", "cancelled"}},
		{domain.TicketNew, domain.ActorManager, []domain.TicketState{"assigned", "cancelled"}},
		{domain.TicketNew, domain.ActorTechnician, nil},
		{domain.TicketAppointed, domain.ActorTechnician, []domain.TicketState{"en_route", "on_site"}},
		{domain.TicketAppointed, domain.ActorDesk, []domain.TicketState{"assigned"}},
		{domain.TicketSigned, domain.ActorSystem, []domain.TicketState{"returned"}},
		{domain.TicketCalledBack, domain.ActorDesk, []domain.TicketState{"reopened", "archived"}},
		{domain.TicketArchived, domain.ActorDesk, nil},
	}
	for _, tt := range tests {
		t.Run(string(tt.from)+"/"+string(tt.actor), func(t *testing.T) {
			if diff := cmp.Diff(domain.NextTicketStates(tt.from, tt.actor), tt.want); diff != "" {
				t.Errorf("NextTicketStates (-got +want):\n%s", diff)
			}
		})
	}
}

func TestTicketStateFinal(t *testing.T) {
	final := map[domain.TicketState]bool{"archived": true, "cancelled": true, "reopened": true}
	for _, s := range domain.TicketStates() {
		if s.Final() != final[s] {
			t.Errorf("%s: Final = %v", s, s.Final())
		}
	}
	if domain.TicketState("bogus").Final() {
		t.Error("unknown state is final")
	}
}

func TestTicketTransitionsCopy(t *testing.T) {
	tr := domain.TicketTransitions()
	tr[0].Actors[0] = "nobody"
	if domain.TicketTransitions()[0].Actors[0] == "nobody" {
		t.Error("TicketTransitions shares its table")
	}
	n := 0
	for _, x := range tr {
		n += len(x.Actors)
		if x.NeedsReason != (x.To == domain.TicketCancelled) {
			t.Errorf("%s→%s: NeedsReason %v", x.From, x.To, x.NeedsReason)
		}
	}
	if n != len(ticketExpected(t)) {
		t.Errorf("table has %d (move, actor) pairs, expected %d", n, len(ticketExpected(t)))
	}
}

func TestTicketLabels(t *testing.T) {
	want := map[domain.TicketState]string{
		"new": "待派单", "escalated": "待工程部派工", "assigned": "已派单", "accepted": "已接单",
		"appointed": "已预约", "en_route": "已出发", "on_site": "已到场", "resulted": "已处理",
		"signed": "客户已签字", "returned": "已交回", "called_back": "已回访", "reopened": "需跟进",
		"archived": "已归档", "cancelled": "已取消",
	}
	got := map[domain.TicketState]string{}
	for _, s := range domain.TicketStates() {
		got[s] = s.Label()
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("labels (-got +want):\n%s", diff)
	}
	actors := map[domain.Actor]string{"desk": "客户服务中心", "manager": "工程部经理", "technician": "技术人员", "system": "系统"}
	for _, a := range domain.Actors() {
		if a.Label() != actors[a] {
			t.Errorf("%s: %q", a, a.Label())
		}
	}
}

func TestActorForRole(t *testing.T) {
	tests := []struct {
		role domain.Role
		want domain.Actor
		ok   bool
	}{
		{domain.RoleDesk, domain.ActorDesk, true},
		{domain.RoleManager, domain.ActorManager, true},
		{domain.RoleTechnician, domain.ActorTechnician, true},
		{domain.RoleFinance, "", false},
		{domain.RoleAdmin, "", false},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			got, ok := domain.ActorForRole(tt.role)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ActorForRole = %q, %v", got, ok)
			}
		})
	}
}
