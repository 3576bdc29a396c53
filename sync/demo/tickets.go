package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"elvcare/domain"
	"elvcare/sync"
	"elvcare/sync/store"
)

// demoTicket is one service request of the demo morning.
type demoTicket struct {
	customer  string // part of the customer's name; "" takes the next site with the system
	system    domain.System
	item      domain.ItemType // the equipment concerned, if any
	requested string
	condition string
	tech      string // login of the lead; "" leaves it with the desk
	escalate  bool
	days      int // planned this many days from today
}

// demoTickets are JOURNEYS.md's morning: 王工 has four visits, 刘工 two,
// the desk has new requests and one escalated to the engineering manager.
var demoTickets = []demoTicket{
	{customer: "华强物业", system: domain.SystemCCTV, item: domain.ItemCCTVRecorder, requested: "地下二层停车场的监控录像机没有画面了", condition: "录像机前面板硬盘灯不亮，客户已重启无效", tech: "wang"},
	{customer: "华强物业", system: domain.SystemAlarm, item: domain.ItemAlarmPanel, requested: "红外防盗报警系统季度点检维护", condition: "按年合同定期维护", tech: "wang"},
	{system: domain.SystemOneCard, item: domain.ItemOneCardDoorController, requested: "3楼门禁控制器刷卡没反应", condition: "读卡器指示灯常亮，刷卡无提示音", tech: "wang"},
	{system: domain.SystemCCTV, item: domain.ItemCCTVCamera, requested: "大堂摄像机画面模糊", condition: "夜间画面发白", tech: "wang", days: 1},
	{system: domain.SystemNetwork, requested: "三楼办公区网络时断时续", condition: "交换机端口指示灯频繁闪烁", tech: "liu"},
	{system: domain.SystemTelephone, requested: "总机来电无法转接分机", condition: "外线可打入，转分机后断线", tech: "liu", days: 1},
	{system: domain.SystemPA, requested: "背景音乐二区无声", condition: "功放有输出指示"},
	{system: domain.SystemTelephone, requested: "程控交换机需要重新布线", condition: "机房搬迁后部分分机不通", escalate: true},
}

// LoadTickets opens and dispatches the demo tickets through the write path.
func LoadTickets(ctx context.Context, e *sync.Engine) error {
	var desk, manager sync.Actor
	users := map[string]string{}
	us, err := e.Users().List(ctx)
	if err != nil {
		return err
	}
	for _, u := range us {
		users[u.Login] = u.ID
		switch u.Login {
		case "chen":
			desk = sync.Actor{UserID: u.ID, Roles: u.Roles, Via: "system"}
		case "li":
			manager = sync.Actor{UserID: u.ID, Roles: u.Roles, Via: "system"}
		}
	}
	if desk.UserID == "" || manager.UserID == "" {
		return fmt.Errorf("demo tickets need the demo desk and manager")
	}
	used := map[string]bool{}
	for _, dt := range demoTickets {
		args, err := pickSite(ctx, e, dt, used)
		if err != nil {
			return err
		}
		if dt.days > 0 {
			args.PlannedDate = e.Today().AddDays(dt.days).String()
		} else {
			args.PlannedDate = e.Today().String()
		}
		out, err := apply(ctx, e, desk, "ticket.open", args)
		if err != nil {
			return fmt.Errorf("demo ticket %q: %w", dt.requested, err)
		}
		var t domain.Ticket
		_ = json.Unmarshal(out, &t)
		switch {
		case dt.escalate:
			_, err = apply(ctx, e, desk, "ticket.escalate", sync.NoteArgs{ID: t.ID, Note: "今天没有覆盖电话系统的售后专员"})
		case dt.tech != "":
			_, err = apply(ctx, e, desk, "ticket.assign", sync.AssignArgs{ID: t.ID, Lead: users[dt.tech]})
		}
		if err != nil {
			return fmt.Errorf("demo ticket %q: %w", dt.requested, err)
		}
	}
	return nil
}

func apply(ctx context.Context, e *sync.Engine, a sync.Actor, name string, args any) (json.RawMessage, error) {
	raw, err := json.Marshal(args)
	if err != nil {
		return nil, err
	}
	return e.Apply(ctx, a, sync.Mutation{Name: name, Args: raw})
}

// pickSite finds a site of the demo archive with the ticket's system (and
// customer), its contact and the equipment concerned.
func pickSite(ctx context.Context, e *sync.Engine, dt demoTicket, used map[string]bool) (sync.OpenTicketArgs, error) {
	var args sync.OpenTicketArgs
	err := e.Store().View(ctx, func(tx store.ReadTx) error {
		return tx.Scan(sync.CollCustomers, "", 0, func(cid string, data []byte) error {
			var cu domain.Customer
			if err := json.Unmarshal(data, &cu); err != nil {
				return err
			}
			if dt.customer != "" && !strings.Contains(cu.Name, dt.customer) {
				return nil
			}
			sites, err := tx.Lookup(sync.CollSites, sync.IdxCustomer, cid)
			if err != nil {
				return err
			}
			for _, sid := range sites {
				if used[sid+string(dt.system)] {
					continue
				}
				eqs, err := tx.Lookup(sync.CollEquipment, sync.IdxSite, sid)
				if err != nil {
					return err
				}
				var match string
				for _, id := range eqs {
					var r sync.EquipmentRecord
					if err := sync.GetJSON(tx, sync.CollEquipment, id, &r); err != nil {
						return err
					}
					if r.System == dt.system && (dt.item == "" || r.ItemType == dt.item) && !r.Retired {
						match = id
						break
					}
				}
				if match == "" {
					continue
				}
				contacts, err := tx.Lookup(sync.CollContacts, sync.IdxCustomer, cid)
				if err != nil || len(contacts) == 0 {
					continue
				}
				used[sid+string(dt.system)] = true
				args = sync.OpenTicketArgs{CustomerID: cid, SiteID: sid, ContactID: contacts[0], System: string(dt.system),
					EquipmentIDs: []string{match}, Requested: dt.requested, Condition: dt.condition}
				return store.ErrStop
			}
			return nil
		})
	})
	if err != nil && err != store.ErrStop {
		return args, err
	}
	if args.SiteID == "" {
		return args, fmt.Errorf("no demo site with %s for %q", dt.system, dt.requested)
	}
	return args, nil
}
