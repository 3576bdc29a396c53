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
	"malformed":              {"请求格式错误，无法解析", "The request could not be read"},
	"not_found":              {"未找到该记录", "Not found"},
	"route_not_found":        {"接口不存在", "No such endpoint"},
	"method_not_allowed":     {"不支持该请求方法", "Method not allowed"},
	"unauthenticated":        {"请先登录", "Please sign in"},
	"session_expired":        {"登录已过期，请重新登录", "Your session has expired; please sign in again"},
	"forbidden":              {"没有权限执行此操作", "You are not allowed to do this"},
	"csrf":                   {"安全校验失败，请刷新页面后重试", "Security check failed; reload the page and try again"},
	"conflict":               {"数据已被他人修改，请刷新后重试", "Someone else changed this; reload and try again"},
	"too_large":              {"提交的内容过大", "The request is too large"},
	"disk_full":              {"服务器磁盘空间不足，暂时无法保存，请联系管理员", "The server is low on disk space and cannot save now; contact the administrator"},
	"too_many":               {"尝试次数过多，请 {seconds} 秒后再试", "Too many attempts; try again in {seconds} s"},
	"invalid":                {"输入有误，请检查标出的字段", "Some fields are not valid"},
	"invalid_args":           {"参数格式不正确", "The arguments are not valid"},
	"internal":               {"服务器内部错误，请稍后重试（编号 {requestId}）", "Internal server error; please try again (ref {requestId})"},
	"invalid_credentials":    {"账号或密码不正确", "Wrong login or password"},
	"account_disabled":       {"该账号已停用，请联系管理员", "This account is disabled; contact the administrator"},
	"user.login_taken":       {"登录名“{login}”已被使用", "The login \"{login}\" is taken"},
	"user.last_admin":        {"至少需要保留一名启用的管理员", "At least one enabled administrator must remain"},
	"unknown_mutation":       {"未知的操作：{name}", "Unknown operation: {name}"},
	"idempotency_key_reused": {"该幂等键已用于另一请求", "This idempotency key was used for another request"},
	"unsupported_media":      {"只支持 PNG 或 JPEG 图片", "Only PNG or JPEG images are accepted"},
	"not_ready":              {"服务尚未就绪", "Not ready"},
	"sync.batch_too_large":   {"同步数据过大，请分批提交", "The sync batch is too large; send it in smaller parts"},
	"sync.client_owner":      {"该设备标识属于其他用户，请重新登录", "This device id belongs to another user; sign in again"},
	"sync.bad_client_id":     {"设备标识无效", "Invalid device id"},
	"sync.newer_schema":      {"应用版本比服务器新，请联系管理员升级服务器", "The app is newer than the server; ask the administrator to upgrade"},
	"sync.conflict_resolved": {"该冲突已处理", "This conflict was already resolved"},
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
