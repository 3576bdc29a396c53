package forms

import (
	"slices"
	"time"

	"elvcare/domain"
)

// acceptanceOf is the customer's block of R-TKT-6 in the source's words,
// with the boxes the customer ticked; nil leaves every box empty.
func acceptanceOf(a *domain.Acceptance, heading string) Acceptance {
	var acc domain.Acceptance
	if a != nil {
		acc = *a
	}
	choice := func(label string, on bool) Option { return Option{Label: label, Checked: a != nil && on} }
	var accessories, satisfaction, reasons []Option
	for _, x := range []domain.Accessories{domain.AccessoriesYes, domain.AccessoriesNo, domain.AccessoriesNone} {
		accessories = append(accessories, choice(x.Label(), acc.Accessories == x))
	}
	for _, x := range domain.Satisfactions() {
		if x != domain.SatisfactionBlank { // 不表态 is an empty row of boxes
			satisfaction = append(satisfaction, choice(x.Label(), acc.Satisfaction == x))
		}
	}
	for _, x := range []domain.DissatisfactionReason{domain.ReasonAttitude, domain.ReasonSkill, domain.ReasonResponse} {
		reasons = append(reasons, choice(x.Label(), slices.Contains(acc.Reasons, x)))
	}
	return Acceptance{
		Heading:  heading,
		Greeting: "尊敬的客户：请在签名验收时请注意以下事项：",
		Items: []AcceptanceItem{
			{No: 1, Label: "验收确认", Question: "您的系统设备已经验收并正常工作（确认正常此次服务即作完成处理）",
				Options: []Option{choice("已确认", acc.EquipmentOK)}},
			{No: 2, Label: "附件交付", Question: "请您确认系统的附件是否已交付：", Options: accessories},
			{No: 3, Label: "满意度", Question: "您对此次服务是否满意：", Options: satisfaction},
			{No: 4, Label: "不满意原因", Question: "您不满意的原因是什么：", Options: reasons},
		},
		Comments: Text{Label: "对我们的服务请您提出宝贵意见：", Lines: splitLines(acc.Comments)},
	}
}

// signatureOf is the signature block, and the pages of the paper form's
// photo when the customer signed on paper (R-TKT-7).
func signatureOf(t domain.Ticket, z *time.Location) (Signature, []Attachment) {
	s := Signature{Label: "客户签字确认", DateLabel: "日期", DigestLabel: "签名内容摘要（SHA-256）"}
	atts := []Attachment{}
	sig := t.Signature
	if sig == nil {
		return s, atts
	}
	s.Signed = true
	s.SignerName = sig.SignerName
	s.Date = sig.SignedAt.In(z).Format(minuteLayout)
	s.Digest = sig.ContentHash
	s.DigestNote = "签字时对本单内容计算的 SHA-256 摘要，可用于核验签字后内容未被改动"
	s.Paper = sig.Paper
	if !sig.Paper {
		s.ImageHash = sig.ImageHash
		return s, atts
	}
	n := 0
	for _, p := range t.Photos {
		if p.Paper {
			n++
			atts = append(atts, Attachment{Caption: "附：客户签字的纸质联络单照片", Hash: p.Hash})
		}
	}
	if n == 0 && sig.ImageHash != "" {
		atts = append(atts, Attachment{Caption: "附：客户签字的纸质联络单照片", Hash: sig.ImageHash})
	}
	s.PaperNote = "客户已在纸质联络单上签字确认，纸质单照片见附页"
	return s, atts
}
