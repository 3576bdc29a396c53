// The PWA shell against the real server (issue contract): an admin creates
// a technician, signs out; the technician signs in on a phone and gets the
// phone layout; a wrong password is told clearly.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { DESK, PHONE, launch, login, newPage, shot } from './browser.mjs'
import { startServer } from './server.mjs'

/** @type {import('./server.mjs').RunningServer} */
let server
/** @type {import('playwright-core').Browser} */
let browser

before(async () => {
  server = await startServer()
  browser = await launch()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

describe('PWA shell', { timeout: 120_000 }, () => {
  it('login page renders on phone and desk widths', async () => {
    for (const [name, viewport, mobile] of /** @type {const} */ ([
      ['login-phone', PHONE, true],
      ['login-desk', DESK, false],
    ])) {
      const { context, page, errors } = await newPage(browser, server.url, viewport, { mobile })
      await page.goto('/')
      await page.waitForURL('**/login')
      await page.getByRole('heading', { name: 'ELVcare 弱电售后' }).waitFor()
      assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN')
      assert.ok(await page.getByRole('button', { name: '登录', exact: true }).isVisible())
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)
      assert.equal(overflow, false, `${name}: horizontal overflow`)
      await shot(page, name)
      assert.deepEqual(errors, [])
      await context.close()
    }
  })

  it('a wrong password shows a clear message', async () => {
    const { context, page } = await newPage(browser, server.url, PHONE, { mobile: true })
    await login(page, 'admin', 'not-the-password')
    const err = page.getByTestId('login-error')
    await err.waitFor()
    assert.equal((await err.textContent())?.trim(), '账号或密码不正确')
    assert.match(page.url(), /\/login/)
    await shot(page, 'login-wrong-password')
    await context.close()
  })

  it('admin creates a technician, who then gets the phone layout', async () => {
    // Admin at a desk, in Chinese.
    const admin = await newPage(browser, server.url, DESK)
    const a = admin.page
    await login(a, 'admin', 'admin123')
    await a.waitForURL('**/d/users')
    await a.locator('.el-table__row').first().waitFor()
    assert.ok(await a.getByRole('menuitem', { name: '用户管理' }).isVisible())
    assert.ok(await a.getByRole('menuitem', { name: '公司信息' }).isVisible())
    await shot(a, 'admin-users')

    await a.getByTestId('user-create').click()
    const dialog = a.getByRole('dialog', { name: '新建用户' })
    await dialog.waitFor()
    await a.getByTestId('user-login').fill('zhoujie')
    await a.getByTestId('user-name').fill('周杰')
    await a.getByTestId('user-password').fill('zhou12345')
    await a.getByTestId('user-password-confirm').fill('zhou12345')
    await dialog.getByTestId('user-roles').click()
    await a.locator('.el-select-dropdown__item:visible', { hasText: '技术人员' }).click()
    await dialog.locator('.el-dialog__title').click() // close the dropdown
    await dialog.getByText('售后服务专员', { exact: true }).waitFor()
    await dialog.getByTestId('user-skills').click()
    await a.locator('.el-select-dropdown__item:visible', { hasText: '闭路监控' }).click()
    await a.locator('.el-select-dropdown__item:visible', { hasText: '一卡通' }).click()
    await dialog.locator('.el-dialog__title').click()
    await shot(a, 'admin-new-user')
    await a.getByTestId('user-save').click()
    await dialog.waitFor({ state: 'hidden' })
    const row = a.locator('.el-table__row', { hasText: 'zhoujie' }).first()
    await row.waitFor()
    const rowText = (await row.innerText()).replace(/\s+/g, ' ')
    assert.match(rowText, /周杰/)
    assert.match(rowText, /技术人员/)
    assert.match(rowText, /闭路监控/)
    assert.match(rowText, /启用/)

    // Sign out through the user menu.
    await a.getByTestId('user-menu').click()
    await a.getByRole('menuitem', { name: '退出登录' }).click()
    await a.getByRole('button', { name: '退出登录' }).click()
    await a.waitForURL('**/login')
    assert.deepEqual(admin.errors, [])
    await admin.context.close()

    // The new technician on a phone.
    const tech = await newPage(browser, server.url, PHONE, { mobile: true })
    const p = tech.page
    await login(p, 'zhoujie', 'zhou12345')
    await p.waitForURL('**/m/tickets')
    await p.locator('.van-tabbar').waitFor()
    assert.ok(await p.locator('.van-nav-bar__title', { hasText: '我的工单' }).isVisible())
    // The list comes from the device's database: wait for its first answer.
    await p.getByText('暂无工单').waitFor()
    const tabs = (await p.locator('.van-tabbar-item').allInnerTexts()).map((s) => s.trim())
    assert.deepEqual(tabs, ['工单', '扫码', '我的'])
    assert.equal(await p.locator('link[href*="el-"], .el-button').count(), 0, 'no Element Plus on the phone')
    await shot(p, 'technician-home')

    await p.locator('.van-tabbar-item', { hasText: '我的' }).click()
    await p.waitForURL('**/m/me')
    await p.getByText('周杰').first().waitFor()
    assert.ok(await p.getByText('技术人员').first().isVisible())
    await shot(p, 'technician-me')
    assert.deepEqual(tech.errors, [])
    await tech.context.close()
  })

  it('the admin adds a checklist template; a bad one is explained', async () => {
    const { context, page, errors } = await newPage(browser, server.url, DESK)
    await login(page, 'admin', 'admin123')
    await page.waitForURL('**/d/users')
    await page.getByRole('menuitem', { name: '检查表模板' }).click()
    const builtin = page.locator('.el-table__row', { hasText: '红外防盗报警系统点检维护工作报告' })
    await builtin.waitFor()
    await builtin.locator('.el-tag', { hasText: '内置' }).waitFor()
    // The built-in template opens read-only.
    await builtin.getByRole('button', { name: '查看' }).click()
    let dialog = page.getByRole('dialog', { name: '查看内置模板' })
    await dialog.waitFor()
    assert.equal(await page.getByTestId('template-save').count(), 0)
    assert.match(await page.getByTestId('template-text').inputValue(), /"sections"/)
    await dialog.getByRole('button', { name: '关闭', exact: true }).click()
    await dialog.waitFor({ state: 'hidden' })

    // A new one for CCTV from the skeleton; first with broken JSON, then a bad key.
    await page.getByTestId('template-create').click()
    dialog = page.getByRole('dialog', { name: '新建检查表模板' })
    await dialog.waitFor()
    await page.getByTestId('template-id').fill('custom.cctv.pm')
    const text = page.getByTestId('template-text')
    const skeleton = await text.inputValue()
    await text.fill(skeleton.replace('"sections": [', '"sections": [,'))
    await page.getByTestId('template-save').click()
    await page.getByTestId('template-problem').getByText(/JSON 格式有误，请检查第 \d+ 行附近/).waitFor()
    await text.fill(skeleton.replace('"key": "main"', '"key": "Main Host"'))
    await page.getByTestId('template-save').click()
    const problem = page.getByTestId('template-problem')
    await problem.getByText('第 1 节 · key').waitFor()
    assert.match((await problem.textContent()) ?? '', /只能用小写字母、数字和 \. _ -/)
    await shot(page, 'admin-template-editor')
    await text.fill(skeleton)
    await page.getByTestId('template-save').click()
    await page.getByText('模板已保存（第 1 版）').waitFor()
    await dialog.waitFor({ state: 'hidden' })
    const row = page.locator('.el-table__row', { hasText: 'custom.cctv.pm' })
    await row.waitFor()
    assert.match((await row.textContent()) ?? '', /闭路监控/)
    await shot(page, 'admin-templates')

    // Its next version.
    await row.getByRole('button', { name: '编辑' }).click()
    dialog = page.getByRole('dialog', { name: '编辑检查表模板' })
    await dialog.getByText('保存后为第 2 版').waitFor()
    await page.getByTestId('template-save').click()
    await page.getByText('模板已保存（第 2 版）').waitFor()
    // The one refused save is the browser's only complaint.
    assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), [])
    await context.close()
  })

  it('the demo technician sees the specialist badge and skills', async () => {
    const { context, page, errors } = await newPage(browser, server.url, PHONE, { mobile: true })
    await login(page, 'wang', 'demo123')
    await page.waitForURL('**/m/tickets')
    await page.goto('/m/me')
    await page.getByText('售后服务专员').waitFor()
    assert.ok(await page.getByText('闭路监控').isVisible())
    assert.ok(await page.getByText('红外防盗报警').isVisible())
    assert.deepEqual(errors, [])
    await context.close()
  })

  it('the desk lands on the dispatch board with its menu', async () => {
    const { context, page, errors } = await newPage(browser, server.url, DESK)
    await login(page, 'chen', 'demo123')
    await page.waitForURL('**/d/dispatch')
    for (const item of ['客户档案', '派单台', '回访', '统计']) {
      assert.ok(await page.getByRole('menuitem', { name: item }).isVisible(), item)
    }
    await page.locator('[data-column="new"]').getByTestId('ticket-card').first().waitFor()
    await shot(page, 'desk-home')
    // A desk user cannot open the admin pages.
    await page.goto('/d/users')
    await page.waitForURL('**/d/dispatch')
    assert.deepEqual(errors, [])
    await context.close()
  })

  it('a user with several roles switches between desk and phone', async () => {
    const { context, page, errors } = await newPage(browser, server.url, DESK)
    await login(page, 'admin', 'admin123')
    await page.waitForURL('**/d/users')
    await page.locator('.el-table__row').first().waitFor()
    await page.getByRole('menuitem', { name: '公司信息' }).click()
    await page.getByTestId('company-name').waitFor()
    await page.waitForLoadState('networkidle')
    // Upload a logo; the header shows it at once.
    await page.getByTestId('logo-file').setInputFiles(new URL('../public/icons/icon-192.png', import.meta.url).pathname)
    await page.getByText('标志已更新').waitFor()
    await page.locator('.d-brand img[src^="/api/settings/company/logo?v="]').waitFor()
    await shot(page, 'admin-company')

    // Give the admin the technician role too.
    await page.getByRole('menuitem', { name: '用户管理' }).click()
    const self = page.locator('.el-table__row', { hasText: 'admin' }).first()
    await self.getByRole('button', { name: '编辑' }).click()
    const dialog = page.getByRole('dialog', { name: '编辑用户' })
    await dialog.getByTestId('user-roles').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '技术人员' }).click()
    await dialog.locator('.el-dialog__title').click()
    await page.getByTestId('user-save').click()
    await dialog.waitFor({ state: 'hidden' })

    const switcher = page.getByTestId('role-switcher')
    await switcher.waitFor()
    assert.match(await switcher.innerText(), /管理员/)
    await shot(page, 'admin-role-switcher')
    await switcher.click()
    await page.getByRole('menuitem', { name: '技术人员' }).click()
    await page.waitForURL('**/m/tickets')
    await page.locator('.van-tabbar').waitFor()
    await page.getByText('暂无工单').waitFor()
    await shot(page, 'technician-on-desk')
    assert.deepEqual(errors, [])
    await context.close()
  })

  it('after one visit the technician shell opens with no network', async () => {
    const { context, page, errors } = await newPage(browser, server.url, PHONE, { mobile: true, serviceWorker: true })
    await login(page, 'wang', 'demo123')
    await page.waitForURL('**/m/tickets')
    // The service worker has precached the shell once it is active.
    await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready
      if (reg.active?.state !== 'activated') {
        await new Promise((resolve) => reg.active?.addEventListener('statechange', resolve))
      }
    })
    await context.setOffline(true)
    await page.reload()
    await page.locator('.van-tabbar').waitFor()
    // His tickets come from the device (e2e/offline.test.mjs does the whole visit).
    await page.getByTestId('ticket-card').first().waitFor()
    await page.locator('.van-tabbar-item', { hasText: '我的' }).click()
    await page.getByText('王工').first().waitFor()
    await shot(page, 'technician-offline')
    await context.setOffline(false)
    assert.deepEqual(errors, [])
    await context.close()
  })

  it('switching language switches the UI and <html lang>', async () => {
    const { context, page } = await newPage(browser, server.url, PHONE, { mobile: true })
    await page.goto('/login')
    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor()
    assert.equal(await page.locator('html').getAttribute('lang'), 'en')
    await page.locator('input[name="login"]').fill('admin')
    await page.locator('input[name="password"]').fill('wrong-password')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByText('Incorrect username or password').waitFor()
    await context.close()
  })

  it('an expired session sends the user back to login with a message', async () => {
    const { context, page } = await newPage(browser, server.url, DESK)
    await login(page, 'admin', 'admin123')
    await page.waitForURL('**/d/users')
    await page.locator('.el-table__row').first().waitFor()
    await context.clearCookies()
    await page.getByRole('menuitem', { name: '公司信息' }).click()
    await page.getByRole('menuitem', { name: '用户管理' }).click()
    await page.getByText('登录已过期，请重新登录').waitFor()
    assert.match(page.url(), /\/login\?redirect=/)
    // Signing in again returns to where the user was.
    await page.locator('input[name="login"]').fill('admin')
    await page.locator('input[name="password"]').fill('admin123')
    await page.getByRole('button', { name: '登录', exact: true }).click()
    await page.waitForURL('**/d/users')
    await page.locator('.el-table__row').first().waitFor()

    // A reload after the session ended says so too.
    await context.clearCookies()
    await page.reload()
    await page.getByText('登录已过期，请重新登录').waitFor()
    await context.close()
  })
})
