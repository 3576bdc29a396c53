package forms

// Form is the print model of one paper form: every label and value, in the
// source's Chinese wording, in the order the form prints them. The PDF is
// drawn from it, and GET /api/tickets/:id/print hands it to the web app,
// so the HTML print view and the PDF show the same thing.
type Form struct {
	Kind        Kind    `json:"kind"`
	Title       string  `json:"title"` // 客户服务联络单
	Company     Company `json:"company"`
	NumberLabel string  `json:"numberLabel"` // 联络单编号 / 定期维护单编号
	Number      string  `json:"number"`
	// Party is the header grid: customer, contact, phone, address, time.
	Party Party `json:"party"`

	// The 联络单's body (R-FORM-1); nil on a maintenance report.
	CustomerType *Choice    `json:"customerType,omitempty"` // 客户属性
	Requested    *Text      `json:"requested,omitempty"`    // 待服务内容
	Solution     *Solution  `json:"solution,omitempty"`     // 处理方案
	Result       *Result    `json:"result,omitempty"`       // 处理结果
	Remarks      *Text      `json:"remarks,omitempty"`      // 备注
	Checklist    *Checklist `json:"checklist,omitempty"`    // the report's items (R-FORM-2)
	Summary      *Text      `json:"summary,omitempty"`      // 维护总结
	// Staff: 技术人员 on the 联络单; 维护负责人 and 维护日期 on the report.
	Staff []Field `json:"staff"`

	Acceptance Acceptance `json:"acceptance"` // R-TKT-6
	Signature  Signature  `json:"signature"`
	// Attachments are pictures printed after the form: the photo of a
	// hand-signed paper form (R-TKT-7).
	Attachments []Attachment `json:"attachments"`
	// Footer is the small print at the bottom of every page.
	Footer Footer `json:"footer"`
}

// Kind names a form.
type Kind string

// The forms.
const (
	KindContact     Kind = "contact"     // 客户服务联络单 (R-FORM-1)
	KindMaintenance Kind = "maintenance" // 点检维护工作报告 (R-FORM-2)
)

// Company is the letterhead, from the settings.
type Company struct {
	Name         string `json:"name"`
	AddressLabel string `json:"addressLabel"` // 地址
	Address      string `json:"address"`
	HotlineLabel string `json:"hotlineLabel"` // 服务热线
	Hotline      string `json:"hotline"`
	LogoHash     string `json:"logoHash,omitempty"` // a blob; printed when set
}

// Field is a label and its value.
type Field struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Party is who and where: the first rows of both forms.
type Party struct {
	Customer    Field `json:"customer"`    // 客户名称
	Contact     Field `json:"contact"`     // 联系人
	Phone       Field `json:"phone"`       // 电话
	Address     Field `json:"address"`     // 地址
	ServiceTime Field `json:"serviceTime"` // 服务时间
}

// Option is one box of the form and whether it is ticked.
type Option struct {
	Label   string `json:"label"`
	Checked bool   `json:"checked"`
}

// Choice is a label with its boxes.
type Choice struct {
	Label   string   `json:"label"`
	Options []Option `json:"options"`
}

// Text is a label with lines of text.
type Text struct {
	Label string   `json:"label"`
	Lines []string `json:"lines"`
}

// Solution is 处理方案: what was done, the parts used, the devices
// replaced (R-TKT-4), and the photos taken.
type Solution struct {
	Label      string   `json:"label"` // 处理方案
	Work       []string `json:"work"`
	PartsLabel string   `json:"partsLabel"` // 使用配件
	Parts      []string `json:"parts"`
	SwapsLabel string   `json:"swapsLabel"` // 更换设备
	Swaps      []Swap   `json:"swaps"`
	PhotosNote string   `json:"photosNote,omitempty"`
}

// Swap is one replaced device: old serial out, new serial in.
type Swap struct {
	Device    string `json:"device"`
	OldSerial string `json:"oldSerial"`
	NewSerial string `json:"newSerial"`
	NewModel  string `json:"newModel,omitempty"`
}

// Result is 处理结果 (R-TKT-5): 已完成服务, or 未完成服务 with one reason.
type Result struct {
	Label   string   `json:"label"`
	Done    Option   `json:"done"`
	NotDone Option   `json:"notDone"`
	Reasons []Option `json:"reasons"`
}

// Checklist is the maintenance report's table: 项目 | 维护内容 | 处理结果.
type Checklist struct {
	Columns  [3]string       `json:"columns"`
	Sections []ReportSection `json:"sections"`
}

// ReportSection is a group of items under its heading (防盗主机).
type ReportSection struct {
	Title string       `json:"title"`
	Items []ReportItem `json:"items"`
}

// ReportItem is one numbered item with its answer: ticked boxes, filled
// counts, or text. Answered is false when the technician left it blank.
type ReportItem struct {
	No       int      `json:"no"`
	Text     string   `json:"text"`
	Options  []Option `json:"options,omitempty"`
	Counts   []Count  `json:"counts,omitempty"`
	Answer   string   `json:"answer,omitempty"`
	Note     string   `json:"note,omitempty"`
	Answered bool     `json:"answered"`
}

// Count is one counter: 检查 8 个. Value is nil when not filled.
type Count struct {
	Label string `json:"label"`
	Value *int   `json:"value,omitempty"`
	Unit  string `json:"unit"`
}

// Acceptance is the customer's block (R-TKT-6), in the source's words.
type Acceptance struct {
	Heading  string           `json:"heading"` // 客户填写
	Greeting string           `json:"greeting"`
	Items    []AcceptanceItem `json:"items"`
	Comments Text             `json:"comments"` // 宝贵意见
}

// AcceptanceItem is one numbered question with its boxes; Label is the
// short name printed in the label column (满意度).
type AcceptanceItem struct {
	No       int      `json:"no"`
	Label    string   `json:"label"`
	Question string   `json:"question"`
	Options  []Option `json:"options"`
}

// Signature is the customer's signature: the drawn image or the paper
// form's photo, the signer, the date, and the SHA-256 of the signed
// content for verification.
type Signature struct {
	Label       string `json:"label"` // 客户签字确认
	Signed      bool   `json:"signed"`
	ImageHash   string `json:"imageHash,omitempty"` // a drawn signature (PNG); empty for paper
	SignerName  string `json:"signerName,omitempty"`
	DateLabel   string `json:"dateLabel"` // 日期
	Date        string `json:"date"`
	Paper       bool   `json:"paper"`
	PaperNote   string `json:"paperNote,omitempty"`
	DigestLabel string `json:"digestLabel"` // 签名内容摘要（SHA-256）
	Digest      string `json:"digest,omitempty"`
	DigestNote  string `json:"digestNote,omitempty"`
}

// Attachment is a picture printed on its own page after the form.
type Attachment struct {
	Caption string `json:"caption"`
	Hash    string `json:"hash"`
}

// Footer is the small print of every page.
type Footer struct {
	Left string `json:"left"` // the form's reference and when it was printed
}
