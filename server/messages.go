package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Lang is a UI language the server answers in.
type Lang string

// The languages.
const (
	LangZH Lang = "zh-CN"
	LangEN Lang = "en"
)

// langOf picks the request's language: English when the client prefers it,
// else Chinese.
func langOf(c *fiber.Ctx) Lang {
	al := strings.ToLower(strings.TrimSpace(c.Get(fiber.HeaderAcceptLanguage)))
	if strings.HasPrefix(al, "en") {
		return LangEN
	}
	return LangZH
}

// messages maps an error code to its text per language. Params appear as
// {name}.
var messages = map[string][2]string{
	"malformed":                {"请求格式错误，无法解析", "The request could not be read"},
	"not_found":                {"未找到该记录", "Not found"},
	"route_not_found":          {"接口不存在", "No such endpoint"},
	"method_not_allowed":       {"不支持该请求方法", "Method not allowed"},
	"unauthenticated":          {"请先登录", "Please sign in"},
	"session_expired":          {"登录已过期，请重新登录", "Your session has expired; please sign in again"},
	"forbidden":                {"没有权限执行此操作", "You are not allowed to do this"},
	"csrf":                     {"安全校验失败，请刷新页面后重试", "Security check failed; reload the page and try again"},
	"conflict":                 {"数据已被他人修改，请刷新后重试", "Someone else changed this; reload and try again"},
	"template.changed":         {"这个模板刚被别人保存过（或同名模板已存在），请重新打开后再改", "Someone saved this template meanwhile (or one with this id exists); open it again and redo the change"},
	"too_large":                {"提交的内容过大", "The request is too large"},
	"disk_full":                {"服务器磁盘空间不足，暂时无法保存，请联系管理员", "The server is low on disk space and cannot save now; contact the administrator"},
	"too_many":                 {"尝试次数过多，请 {seconds} 秒后再试", "Too many attempts; try again in {seconds} s"},
	"invalid":                  {"输入有误，请检查标出的字段", "Some fields are not valid"},
	"invalid_args":             {"参数格式不正确", "The arguments are not valid"},
	"internal":                 {"服务器内部错误，请稍后重试（编号 {requestId}）", "Internal server error; please try again (ref {requestId})"},
	"invalid_credentials":      {"账号或密码不正确", "Wrong login or password"},
	"account_disabled":         {"该账号已停用，请联系管理员", "This account is disabled; contact the administrator"},
	"user.login_taken":         {"登录名“{login}”已被使用", "The login \"{login}\" is taken"},
	"user.last_admin":          {"至少需要保留一名启用的管理员", "At least one enabled administrator must remain"},
	"unknown_mutation":         {"未知的操作：{name}", "Unknown operation: {name}"},
	"idempotency_key_reused":   {"该幂等键已用于另一请求", "This idempotency key was used for another request"},
	"unsupported_media":        {"只支持 PNG 或 JPEG 图片", "Only PNG or JPEG images are accepted"},
	"not_ready":                {"服务尚未就绪", "Not ready"},
	"sync.cannot_restore":      {"此类冲突不能恢复另一方的值，只能确认保留", "This conflict cannot restore the other value; it can only be kept"},
	"ticket.changed":           {"{by}刚刚更新了此工单（负责人：{lead}，状态：{state}），请刷新后再操作", "{by} just changed this ticket (lead: {lead}, state: {state}); reload and try again"},
	"invalid_month":            {"月份格式应为 2026-10", "A month looks like 2026-10"},
	"ticket.signed":            {"客户已签字，内容不能再修改", "The customer has signed; the form can no longer change"},
	"ticket.final":             {"工单已结束，不能修改", "The ticket is closed and cannot change"},
	"ticket.not_yours":         {"这不是您的工单", "This is not your ticket"},
	"ticket.not_specialist":    {"客户服务中心只能派单给售后服务专员；其他人员请转工程部派工", "The desk dispatches to specialists only; escalate to the engineering manager for others"},
	"ticket.not_technician":    {"只能派给启用的技术人员", "Only an enabled technician can be assigned"},
	"ticket.no_result":         {"请先填写处理结果再请客户签字", "Record the result before the customer signs"},
	"ticket.not_paper":         {"该工单不是纸质签字", "This ticket was not signed on paper"},
	"ticket.bad_transition":    {"工单当前状态（{from}）不能变为“{to}”", "The ticket cannot go from {from} to {to}"},
	"ticket.actor_not_allowed": {"您的角色不能执行这一步", "Your role cannot make this move"},
	"ticket.not_signed":        {"客户尚未签字，不能分享联络单", "The customer has not signed yet; the form cannot be shared"},
	"forms.no_font":            {"服务器缺少中文字体，无法生成 PDF（请安装 fonts-droid-fallback）", "The server has no Chinese font and cannot make PDFs (install fonts-droid-fallback)"},
	"sync.device_revoked":      {"此设备已被停用", "This device has been revoked"},
	"sync.quarantine_decided":  {"该暂存操作已处理", "This held change was already decided"},
	"search.rebuilding":        {"搜索索引正在建立，请稍后再试", "The search index is being built; try again shortly"},
	"search.unknown_kind":      {"搜索类别无效", "Unknown search kind"},
	"sync.not_image":           {"只能上传 JPEG、PNG 或 WebP 图片", "Only JPEG, PNG or WebP images can be uploaded"},
	"sync.batch_too_large":     {"同步数据过大，请分批提交", "The sync batch is too large; send it in smaller parts"},
	"sync.client_owner":        {"该设备标识属于其他用户，请重新登录", "This device id belongs to another user; sign in again"},
	"sync.bad_client_id":       {"设备标识无效", "Invalid device id"},
	"sync.newer_schema":        {"应用版本比服务器新，请联系管理员升级服务器", "The app is newer than the server; ask the administrator to upgrade"},
	"sync.conflict_resolved":   {"该冲突已处理", "This conflict was already resolved"},

	// The customer archive.
	"archive.id_taken":          {"编号 {id} 已被占用，请换一个编号", "The id {id} is already in use"},
	"contract.bad_stage_move":   {"合同不能从阶段“{from}”转到“{to}”", "A contract cannot move from stage \"{from}\" to \"{to}\""},
	"contract.audit_not_passed": {"验收审核尚未合格，不能进入保修阶段", "The audit has not passed; the contract cannot enter warranty"},
	"contract.not_in_audit":     {"合同不在验收阶段，不能记录验收审核", "The contract is not at the audit stage"},
	"contract.not_in_follow_up": {"只有处于跟进阶段的合同才能续签或签补充合同", "Only a contract at follow-up can be renewed or supplemented"},
	"contract.invalid_kind":     {"合同类型无效", "Not a valid contract kind"},
	"contract.invalid_stage":    {"合同阶段无效", "Not a valid contract stage"},
	"contract.kind_locked":      {"合同已进入后续阶段，不能再更改合同类型", "The contract has left its first stage; its kind can no longer change"},
	"equipment.retired":         {"该设备已退役，不能再修改", "This equipment is retired and cannot be changed"},
	"credential.not_set":        {"该设备尚未保存登录账号和密码", "No credential is stored for this equipment"},
	"credential.unreadable":     {"无法解密该设备的密码（密钥可能已更换），请重新录入", "The stored credential cannot be decrypted (was the key changed?); enter it again"},
	"file.empty":                {"上传的文件是空的", "The file is empty"},
	"file.unsupported_type":     {"不支持该文件类型，只能上传 PDF、PNG、JPEG、WebP 图片、Excel（xlsx）、Word（docx）、ZIP 压缩包或文本文件", "Unsupported file type; upload PDF, PNG, JPEG, WebP, xlsx, docx, zip or text files"},
	"file.type_mismatch":        {"文件内容与其类型不符", "The file's content does not match its type"},
	"invalid_system":            {"系统无效", "Not a valid system"},
	"invalid_item_type":         {"设备类型无效", "Not a valid item type"},
	"invalid_date":              {"日期格式不正确，应为 年-月-日", "Not a valid date (YYYY-MM-DD)"},

	// The Excel import of the archive.
	"import.invalid":           {"工作簿中共有 {count} 处错误，本次没有导入任何数据。请按清单逐一修改后重新导入。", "The workbook has {count} problem(s); nothing was imported. Fix them and import again."},
	"import.invalid_truncated": {"工作簿中共有 {count} 处错误，本次没有导入任何数据。下面列出前 {shown} 处，请修改后重新导入。", "The workbook has {count} problems; nothing was imported. The first {shown} are listed; fix them and import again."},
	"import.not_xlsx":          {"无法读取该文件，请上传用模板填写的 Excel 工作簿（.xlsx）", "This file cannot be read; upload an Excel workbook (.xlsx) made from the template"},
	"import.empty":             {"工作簿中没有可导入的数据（以“示例”开头的行不会导入）", "The workbook has no rows to import (rows starting with 示例 are skipped)"},
	"import.file_too_large":    {"文件超过 20 MB，请按客户拆分成几个工作簿分别导入", "The file is over 20 MB; split it by customer into several workbooks"},
	"import.too_many_rows":     {"工作簿的数据超过 {max} 行，超出单次导入的上限，请按客户拆分成几个工作簿分别导入", "The workbook has more than {max} rows, over the limit of one import; split it by customer into several workbooks"},
	"import.concurrent":        {"另一次导入刚刚写入了同名的客户，本次没有导入任何数据，请刷新后检查", "Another import has just written customers of the same names; nothing was imported. Reload and check"},
	"import.too_big":           {"工作簿的数据太多（{rows} 条记录），超出单次导入的容量，请按客户拆分成几个工作簿分别导入", "The workbook holds too much ({rows} records) for one import; split it by customer into several workbooks"},
}

// fieldMessages maps a field problem code to its text.
var fieldMessages = map[string][2]string{
	"required":                    {"必填", "Required"},
	"too_long":                    {"内容过长", "Too long"},
	"invalid_login":               {"登录名需为 2–32 位小写字母、数字或 . _ -", "2–32 lowercase letters, digits or . _ -"},
	"invalid_choice":              {"选项无效", "Not a valid choice"},
	"specialist_needs_technician": {"售后服务专员必须具有技术人员角色", "A specialist must have the technician role"},
	"password_too_short":          {"密码至少 8 位", "At least 8 characters"},
	"password_mismatch":           {"两次输入的密码不一致", "The passwords do not match"},
	"unknown_blob":                {"文件不存在，请重新上传", "File missing; upload it again"},
	"invalid_phone":               {"电话号码格式不正确", "Not a valid phone number"},
	"invalid_date":                {"日期格式不正确", "Not a valid date"},
	"invalid_district":            {"区域无效", "Not a valid district"},
	"end_before_start":            {"结束日期早于开始日期", "Ends before it starts"},
	"invalid":                     {"格式不正确", "Not valid"},
	"invalid_month":               {"月份格式应为 2026-10", "A month looks like 2026-10"},
	"future_month":                {"不能发布尚未开始的月份", "A month that has not begun cannot be published"},
	"republish_needs_note":        {"重新发布需要说明原因", "Say why the month is published again"},

	// The customer archive.
	"not_found":         {"所选记录不存在", "No such record"},
	"other_customer":    {"不属于该客户", "Belongs to another customer"},
	"invalid_id":        {"编号格式不正确（应为 UUIDv7）", "Not a valid id (a UUIDv7)"},
	"invalid_kind":      {"类型无效", "Not a valid kind"},
	"invalid_system":    {"系统无效", "Not a valid system"},
	"invalid_item_type": {"设备类型无效", "Not a valid item type"},
	"system_mismatch":   {"设备类型不属于所选系统", "The item type belongs to another system"},
	"invalid_token":     {"二维码标识格式不正确", "Not a valid QR token"},
	"invalid_text":      {"包含无法识别的字符", "Contains invalid characters"},
	"invalid_number":    {"请输入整数", "Enter a whole number"},
	"out_of_range":      {"超出允许范围", "Out of range"},
	"duplicate":         {"重复", "Duplicate"},
	"too_many":          {"数量过多", "Too many"},
	"too_large":         {"数值过大", "Too large"},
	"negative":          {"不能为负数", "Cannot be negative"},
	"must_be_positive":  {"必须大于 0", "Must be greater than 0"},
	"not_normalized":    {"电话号码格式不规范", "Phone number not in its standard form"},
	"not_applicable":    {"此项不适用", "Does not apply here"},
	"before_end":        {"保修截止日期不能早于合同结束日期", "The warranty cannot end before the contract"},
	"self_reference":    {"不能引用自身", "Cannot refer to itself"},
	"invalid_stage":     {"阶段无效", "Not a valid stage"},
	"invalid_move":      {"阶段变更不符合流程", "Not an allowed stage change"},
	"out_of_order":      {"时间顺序不正确", "Out of time order"},
	"inconsistent":      {"与其他信息不一致", "Inconsistent with other fields"},
	"history_mismatch":  {"与阶段记录不一致", "Does not match the stage history"},
	"invalid_verdict":   {"审核结论无效", "Not a valid verdict"},
	"not_passed":        {"审核结论不是“合格”", "The verdict is not \"pass\""},
	"has_documents":     {"已上传文件的项目不能标为不适用", "Has files, so it cannot be waived"},
	"invalid_hash":      {"文件标识不正确", "Not a valid file reference"},
	"unknown_file":      {"文件不存在，请重新上传", "File not found; upload it again"},

	// Checklist templates.
	"invalid_key":      {"只能用小写字母、数字和 . _ -", "Use lowercase letters, digits and . _ - only"},
	"too_few":          {"至少需要两个选项", "At least two options are needed"},
	"invalid_counter":  {"应填写本项前面的某个计数的标识", "Name a counter listed before this one"},
	"builtin_template": {"内置模板不能修改，请换一个标识另存为新模板", "Built-in templates cannot be changed; save a copy under another id"},

	// Problems of an Excel import, one per cell.
	"import.required":            {"“{column}”不能为空", "\"{column}\" is required"},
	"import.not_applicable":      {"此类合同不填“{column}”，请留空", "This kind of contract has no \"{column}\"; leave it blank"},
	"import.unknown_column":      {"无法识别的列“{value}”，请使用模板中的列名", "Unknown column \"{value}\"; use the template's headers"},
	"import.duplicate_column":    {"列“{column}”出现了两次", "The column \"{column}\" appears twice"},
	"import.missing_column":      {"缺少必填的列“{column}”", "The required column \"{column}\" is missing"},
	"import.unknown_customer":    {"客户编号“{value}”在“客户”表中不存在", "Customer code \"{value}\" is not on the 客户 sheet"},
	"import.unknown_site":        {"场地编号“{value}”在“场地”表中不存在", "Site code \"{value}\" is not on the 场地 sheet"},
	"import.site_other_customer": {"场地“{value}”属于另一个客户（{customer}）", "Site \"{value}\" belongs to another customer ({customer})"},
	"import.duplicate":           {"与本表第 {row} 行重复", "Repeats row {row} of this sheet"},
	"import.customer_exists":     {"系统中已有同名客户", "A customer with this name is already in the archive"},
	"import.contract_exists":     {"系统中已有该合同编号", "A contract with this number is already in the archive"},
	"import.invalid_choice":      {"无法识别“{value}”，请填写：{choices}", "\"{value}\" is not one of: {choices}"},
	"import.invalid_district":    {"“{value}”不是本市的区，请填写：{choices}", "\"{value}\" is not a district of the city: {choices}"},
	"import.invalid_date":        {"日期格式不正确，请写成 2026-03-31 这样的日期", "Not a date; write it like 2026-03-31"},
	"import.invalid_money":       {"金额格式不正确，请填写以元为单位的数字，最多两位小数", "Not an amount; enter yuan with at most two decimals"},
	"import.inconsistent":        {"与同一合同第 {row} 行不一致；续行的这一列请留空或与第一行相同", "Differs from row {row} of the same contract; leave it blank or repeat it"},
	"import.no_sites":            {"该客户在“场地”表中没有场地，请填写覆盖场地编号", "The customer has no site on the 场地 sheet; fill in the covered sites"},
	"import.no_systems":          {"这些场地没有登记设备，无法推断覆盖的系统，请填写覆盖系统", "No equipment is listed at these sites to infer the systems from; fill in the covered systems"},
	"import.stage_not_allowed":   {"按次合同没有验收阶段，请填写 Q、B 或 S", "A per-visit contract has no audit stage; use Q, B or S"},
}

func localize(table map[string][2]string, code string, lang Lang, params map[string]string) string {
	m, ok := table[code]
	if !ok {
		m = table["invalid"]
	}
	s := m[0]
	if lang == LangEN {
		s = m[1]
	}
	for k, v := range params {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}
