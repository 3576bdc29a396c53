// The desk's customer archive against the real server (journey 1): 陈小姐
// builds a customer through the UI — site, contact, annual contract, three
// pieces of equipment — finds it by two characters of its name, finds it
// again after a reload and after a server restart, moves its contract into
// the Y audit, reveals a device password (audited), and imports a workbook:
// a bad row is reported by sheet, row and column and nothing is imported;
// the corrected workbook imports.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { DESK, launch, login, newPage, shot } from './browser.mjs'
import { startServer } from './server.mjs'
import { workbook } from './xlsx.mjs'

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

const CUSTOMER = '深圳市鹏城智能楼宇科技有限公司'
const SITE = '鹏城科技大厦'
const CONTRACT = 'PC-WB-2026-001'

/** Failed requests the browser logs that the test causes on purpose. */
const expected = (/** @type {string} */ e) => /status of (401|422)/.test(e)

/**
 * Picks an option of an Element Plus select.
 * @param {import('playwright-core').Page} page
 * @param {import('playwright-core').Locator} select
 * @param {string} option
 */
async function pick(page, select, option) {
  await select.click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click()
}

/**
 * A screenshot once the toasts ("已保存"…) have gone.
 * @param {import('playwright-core').Page} page
 * @param {string} name
 */
async function calmShot(page, name) {
  await page.waitForFunction(() => !document.querySelector('.el-message'), null, { timeout: 10_000 })
  await shot(page, name)
}

/**
 * Fails when the page or one of its visible tables scrolls sideways.
 * @param {import('playwright-core').Page} page
 * @param {string} what
 */
async function assertNoOverflow(page, what) {
  const over = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth > window.innerWidth,
    tables: Array.from(document.querySelectorAll('.el-table__body-wrapper .el-scrollbar__wrap')).some(
      (w) => w.scrollWidth > w.clientWidth + 1,
    ),
  }))
  assert.deepEqual(over, { page: false, tables: false }, `${what}: horizontal overflow`)
}

/** @param {import('playwright-core').Page} page */
async function deskLogin(page) {
  await login(page, 'chen', 'demo123')
  await page.waitForURL('**/d/**')
}

/**
 * The import workbook; `badPhone` puts one wrong number on 联系人 row 3.
 * @param {boolean} badPhone
 */
function importBook(badPhone) {
  return workbook({
    客户: [
      ['客户编号', '客户名称', '类型', '备注'],
      ['KH001', '深圳市前海蛇口自贸物流有限公司', '企业', '纸质档案导入'],
    ],
    场地: [
      ['场地编号', '客户编号', '场地名称', '地址', '区', '城市'],
      ['CD001', 'KH001', '前海物流园', '南山区前海大道 88 号', '南山', ''],
    ],
    联系人: [
      ['客户编号', '姓名', '电话', '职务', '场地编号'],
      ['KH001', '吴经理', '139 1234 5678', '物流园主管', ''],
      ['KH001', '郑师傅', badPhone ? '12345' : '0755-26668888转12', '值班电工', 'CD001'],
    ],
    合同: [
      ['合同编号', '客户编号', '类型', '开始日期', '结束日期', '保修截止', '年费', '覆盖场地编号', '覆盖系统', '阶段', '备注'],
      ['QH-WB-2026-009', 'KH001', '按年合同', '2026-01-01', '2026-12-31', '', '12000', 'CD001', '闭路监控', '', ''],
    ],
    设备: [
      ['场地编号', '系统', '设备类型', '品牌型号', '序列号', '安装位置', '安装日期', '端口数', '功率', '数量'],
      ['CD001', '闭路监控', '监控主机', '海康威视 DS-7808N', 'QH-NVR-0001', '监控室', '2025-06-01', '', '', ''],
    ],
  })
}

describe('customer archive', { timeout: 240_000 }, () => {
  it('the desk builds a customer, finds it, keeps it across a restart', async () => {
    let { context, page, errors } = await newPage(browser, server.url, DESK)
    await deskLogin(page)
    await page.getByRole('menuitem', { name: '客户档案' }).click()
    await page.waitForURL('**/d/customers')
    await page.getByTestId('customer-table').locator('.el-table__row').first().waitFor()
    assert.match(await page.getByTestId('customer-total').innerText(), /共 30 个客户/)
    assert.equal(await page.getByText('即将上线').count(), 0)
    assert.ok(await page.getByText('深圳市华强物业管理有限公司').isVisible())
    await page.waitForLoadState('networkidle')
    await assertNoOverflow(page, 'list')
    await shot(page, 'archive-list')

    // Journey 1: the desk reads 华强物业's coverage before opening a ticket.
    await page.getByRole('link', { name: '深圳市华强物业管理有限公司' }).click()
    await page.getByTestId('customer-title').filter({ hasText: '深圳市华强物业管理有限公司' }).waitFor()
    const hq = (await page.getByTestId('site-table').locator('.el-table__row', { hasText: '华强大厦' }).innerText()).replace(/\s+/g, ' ')
    assert.match(hq, /闭路监控 按年合同 至 \d{4}-03-31/)
    await page.getByRole('tab', { name: /联系人/ }).click()
    assert.equal(await page.getByTestId('contact-table').locator('a[href="tel:13802561234"]').innerText(), '138 0256 1234')
    await page.getByRole('tab', { name: /设备/ }).click()
    await page.getByTestId('equipment-table').locator('.el-table__row').first().waitFor()
    await assertNoOverflow(page, 'a large equipment list')
    await page.getByPlaceholder('型号、序列号、位置').fill('DS-7816N')
    const nvr = page.getByTestId('equipment-table').locator('.el-table__row', { hasText: '海康威视 DS-7816N-K2' }).first()
    await nvr.waitFor()
    assert.match(await nvr.innerText(), /地下二层停车场监控室/)
    await page.getByRole('menuitem', { name: '客户档案' }).click()
    await page.waitForURL('**/d/customers')

    // ---- a new customer
    await page.getByTestId('customer-create').click()
    const cDialog = page.getByRole('dialog', { name: '新建客户' })
    await cDialog.waitFor()
    await page.getByTestId('customer-name').fill(CUSTOMER)
    await page.getByTestId('customer-save').click()
    await page.waitForURL(/\/d\/customers\/[0-9a-f-]{36}/)
    await page.getByTestId('customer-title').filter({ hasText: CUSTOMER }).waitFor()
    assert.ok(await page.getByTestId('customer-header').getByText('无合同', { exact: true }).isVisible())

    // ---- a site in 南山区 (city zone)
    await page.getByTestId('site-create').click()
    const sDialog = page.getByRole('dialog', { name: '新建场地' })
    await sDialog.waitFor()
    await page.getByTestId('site-name').fill(SITE)
    await pick(page, sDialog.getByTestId('site-district'), '南山区')
    await sDialog.getByText('收费区域：市区').waitFor()
    await page.getByTestId('site-address').fill('深圳市南山区科技园南区高新南七道 18 号')
    await page.getByTestId('site-save').click()
    await sDialog.waitFor({ state: 'hidden' })
    const siteRow = page.getByTestId('site-table').locator('.el-table__row', { hasText: SITE })
    await siteRow.waitFor()
    assert.match(await siteRow.innerText(), /南山区\s*市区/)
    assert.ok(await siteRow.getByRole('link', { name: '地图' }).isVisible())

    // ---- a contact: a wrong number is told on its own box, then fixed
    await page.getByRole('tab', { name: /联系人/ }).click()
    await page.getByTestId('contact-create').click()
    const pDialog = page.getByRole('dialog', { name: '新建联系人' })
    await pDialog.waitFor()
    await page.getByTestId('contact-name').fill('周经理')
    await page.getByTestId('contact-title').fill('物业工程部经理')
    await page.getByTestId('contact-phone-0').fill('138 2345 6789')
    await page.getByTestId('contact-add-phone').click()
    await page.getByTestId('contact-phone-1').fill('12345')
    await page.getByTestId('contact-save').click()
    const phoneError = pDialog.locator('.el-form-item', { has: page.getByTestId('contact-phone-1') }).locator('.el-form-item__error')
    await phoneError.waitFor()
    assert.equal((await phoneError.innerText()).trim(), '电话号码格式不正确')
    assert.equal(await pDialog.locator('.el-form-item', { has: page.getByTestId('contact-phone-0') }).locator('.el-form-item__error').count(), 0)
    await page.getByTestId('contact-phone-1').fill('（0755）8666-1234 转 801')
    await page.getByTestId('contact-save').click()
    await pDialog.waitFor({ state: 'hidden' })
    const contactRow = page.getByTestId('contact-table').locator('.el-table__row', { hasText: '周经理' })
    await contactRow.waitFor()
    assert.match(await contactRow.innerText(), /138 2345 6789/)
    assert.match(await contactRow.innerText(), /0755-8666 1234 转 801/)
    assert.equal(await contactRow.locator('a[href="tel:13823456789"]').count(), 1)
    assert.equal(await contactRow.locator('a[href="tel:075586661234,801"]').count(), 1)

    // ---- an annual contract over CCTV, alarm and one-card at the site
    await page.getByRole('tab', { name: /合同/ }).click()
    await page.getByTestId('contract-create').click()
    const kDialog = page.getByRole('dialog', { name: '新建合同' })
    await kDialog.waitFor()
    await kDialog.getByText('按年合同', { exact: true }).click()
    await page.getByTestId('contract-number').fill(CONTRACT)
    const covers = page.getByTestId('contract-covers')
    for (const sys of ['闭路监控', '红外防盗报警', '一卡通']) await covers.getByText(sys, { exact: true }).click()
    await page.getByTestId('contract-price').fill('12,800')
    await page.getByTestId('contract-save').click()
    await kDialog.waitFor({ state: 'hidden' })
    const contractRow = page.getByTestId('contract-table').locator('.el-table__row', { hasText: CONTRACT })
    await contractRow.waitFor()
    const contractText = await contractRow.innerText()
    assert.match(contractText, /按年合同/)
    assert.match(contractText, /¥12,800\.00/)
    assert.match(contractText, /Q\s*签订合同/)
    assert.match(contractText, new RegExp(`${SITE}：闭路监控、红外防盗报警、一卡通`))
    await page.getByTestId('customer-header').getByText('按年合同').waitFor()

    // ---- three pieces of equipment: an NVR with its login, a PBX, information points
    await page.getByRole('tab', { name: /设备/ }).click()
    /** @param {{ type: string, model: string, serial?: string, location: string, amount?: string, login?: [string, string] }} e */
    const addEquipment = async (e) => {
      await page.getByTestId('equipment-create').click()
      const dlg = page.getByRole('dialog', { name: '新建设备' })
      await dlg.waitFor()
      await pick(page, dlg.getByTestId('equipment-type'), e.type)
      if (e.amount) await page.getByTestId('equipment-amount').locator('input').fill(e.amount)
      await page.getByTestId('equipment-model').fill(e.model)
      if (e.serial) await page.getByTestId('equipment-serial').fill(e.serial)
      await page.getByTestId('equipment-location').fill(e.location)
      if (e.login) {
        await dlg.getByText('录入管理员账号和密码（加密保存）').click()
        await page.getByTestId('equipment-username').fill(e.login[0])
        await page.getByTestId('equipment-password').fill(e.login[1])
      }
      await page.getByTestId('equipment-save').click()
      await dlg.waitFor({ state: 'hidden', timeout: 5000 }).catch(async (err) => {
        await shot(page, 'archive-failure')
        throw err
      })
    }
    await addEquipment({
      type: '监控主机',
      model: '海康威视 DS-7816N-K2',
      serial: 'PC2026NVR0001',
      location: '地下一层监控室',
      login: ['admin', 'Pc#Nvr2026'],
    })
    await addEquipment({ type: '程控交换机', model: '华为 eSpace U1960', serial: 'PC2026PBX0001', location: '三楼弱电间', amount: '96' })
    await addEquipment({ type: '信息点', model: '六类信息点', location: '全楼', amount: '320' })
    const eqRows = page.getByTestId('equipment-table').locator('.el-table__body .el-table__row')
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="equipment-table"] .el-table__body tr.el-table__row').length >= 3)
    await assertNoOverflow(page, 'equipment tab')
    await calmShot(page, 'archive-customer-equipment')
    const eqText = (await page.getByTestId('equipment-table').innerText()).replace(/\s+/g, ' ')
    for (const want of ['监控主机', '海康威视 DS-7816N-K2', 'PC2026NVR0001', '程控交换机', '96 口', '信息点', '320 点', '地下一层监控室']) {
      assert.ok(eqText.includes(want), `equipment table shows ${want}`)
    }
    assert.equal(await page.getByTestId('qr-tag').count(), 3, 'every piece has its QR token')
    assert.equal(await eqRows.count(), 3)

    // The audited reveal of the NVR's login.
    await page.getByTestId('credential-reveal').click()
    const confirm = page.getByRole('dialog', { name: '查看设备凭据' })
    await confirm.waitFor()
    assert.match(await confirm.innerText(), /审计/)
    await confirm.getByRole('button', { name: '查看凭据' }).click()
    const cred = page.getByTestId('credential-dialog')
    await cred.getByTestId('credential-password').waitFor()
    assert.equal(await cred.getByTestId('credential-username').innerText(), 'admin')
    assert.equal(await cred.getByTestId('credential-password').innerText(), 'Pc#Nvr2026')
    await cred.getByRole('button', { name: '查看完毕' }).click()
    await cred.getByTestId('credential-password').waitFor({ state: 'detached' })

    await page.getByRole('tab', { name: /场地/ }).click()
    await page.getByTestId('site-table').getByText('按年合同').first().waitFor()
    await page.waitForLoadState('networkidle')
    await assertNoOverflow(page, 'customer page')
    await calmShot(page, 'archive-customer')
    const customerUrl = page.url()

    // ---- the contract page: Q → Y, a completion document, two waived
    await page.getByRole('tab', { name: /合同/ }).click()
    await page.getByRole('link', { name: CONTRACT }).click()
    await page.waitForURL(/\/d\/contracts\//)
    await page.getByTestId('contract-title').filter({ hasText: CONTRACT }).waitFor()
    await page.getByTestId('stage-move').click()
    const mDialog = page.getByTestId('stage-dialog')
    await mDialog.getByText('Y 验收').click()
    await mDialog.locator('textarea').fill('工程完工，提交竣工资料')
    await page.getByTestId('stage-save').click()
    await page.getByText('合同已进入 Y 验收').waitFor()
    await page.getByTestId('audit-card').waitFor()
    await page.getByTestId('doc-file-drawings').setInputFiles({
      name: '鹏城科技大厦竣工图纸.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% 竣工图纸\n%%EOF\n'),
    })
    await page.getByTestId('audit-card').getByRole('link', { name: '鹏城科技大厦竣工图纸.pdf' }).waitFor()
    for (const doc of ['使用手册', '配置与密码']) {
      const row = page.getByTestId('audit-table').locator('.el-table__row', { hasText: doc })
      await row.locator('.el-checkbox').click()
      await row.getByText('免交', { exact: true }).last().waitFor()
      await page.waitForFunction((d) => {
        const rows = Array.from(document.querySelectorAll('[data-testid="audit-table"] .el-table__row'))
        return rows.some((r) => r.textContent?.includes(d) && r.querySelector('.el-tag--info'))
      }, doc)
    }
    const history = await page.getByTestId('stage-history').innerText()
    assert.match(history, /陈小姐/)
    assert.match(history, /工程完工，提交竣工资料/)
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.waitForLoadState('networkidle')
    await assertNoOverflow(page, 'contract page')
    await calmShot(page, 'archive-contract')
    await page.getByTestId('audit-card').scrollIntoViewIfNeeded()
    await calmShot(page, 'archive-contract-audit')

    // 合格 needs every document filed or waived; then the contract leaves Y for B.
    await page.getByTestId('audit-verdict').getByText('合格', { exact: true }).click()
    await page.getByTestId('audit-save').click()
    const missingRow = page.getByTestId('audit-table').locator('.el-table__row', { hasText: '测试报告' })
    await missingRow.getByText('须上传或标为免交').waitFor()
    for (const doc of ['设备清单', '测试报告']) {
      const row = page.getByTestId('audit-table').locator('.el-table__row', { hasText: doc })
      await row.locator('.el-checkbox').click()
      await row.locator('.el-tag--info').waitFor()
    }
    await page.getByTestId('audit-card').locator('textarea').fill('资料齐全，施工质量合格')
    await page.getByTestId('audit-save').click()
    await page.getByText('审核结果已保存').waitFor()
    await page.getByTestId('stage-move').click()
    await page.getByTestId('stage-dialog').getByText('B 保修').click()
    await page.getByTestId('stage-save').click()
    await page.getByText('合同已进入 B 保修').waitFor()
    await page.getByTestId('contract-header').getByText('保修').waitFor()
    assert.match(await page.getByTestId('audit-card').innerText(), /合格[\s\S]*审核：陈小姐/)

    // ---- found by two characters of its name, as the desk types
    await page.getByRole('menuitem', { name: '客户档案' }).click()
    await page.waitForURL('**/d/customers')
    await page.getByTestId('customer-search').fill('鹏城')
    await page.waitForURL(/q=%E9%B9%8F%E5%9F%8E/)
    const rows = page.getByTestId('customer-table').locator('.el-table__row')
    await page.waitForFunction(
      (name) => {
        const r = Array.from(document.querySelectorAll('[data-testid="customer-table"] .el-table__row'))
        return r.length === 1 && r[0]?.textContent?.includes(name)
      },
      CUSTOMER,
    )
    const row = (await rows.first().innerText()).replace(/\s+/g, ' ')
    assert.match(row, /南山区/)
    assert.match(row, /按年合同/)
    assert.match(row, /B\s*保修/)

    // ---- a reload keeps the search and finds it again
    await page.reload()
    await page.waitForFunction((name) => document.querySelector('[data-testid="customer-table"] .el-table__row')?.textContent?.includes(name), CUSTOMER)
    assert.equal(await page.getByTestId('customer-search').inputValue(), '鹏城')
    assert.deepEqual(errors.filter((e) => !expected(e)), [])
    await context.close()

    // ---- the server restarts on the same data; the desk signs in again
    const { dataDir, port } = server
    await server.stop({ keepData: true })
    server = await startServer({ dataDir, port })
    ;({ context, page, errors } = await newPage(browser, server.url, DESK))
    await deskLogin(page)
    await page.goto('/d/customers')
    await page.getByTestId('customer-search').fill('鹏城')
    await page.getByTestId('customer-table').locator('.el-table__row', { hasText: CUSTOMER }).waitFor()
    assert.match(await page.getByTestId('customer-total').innerText(), /共 1 个客户/)
    await page.getByRole('link', { name: CUSTOMER }).click()
    await page.waitForURL(customerUrl)
    const counts = (await page.getByTestId('customer-header').innerText()).replace(/\s+/g, ' ')
    assert.match(counts, /场地 1 联系人 1 合同 1 设备 3/)
    assert.deepEqual(errors.filter((e) => !expected(e)), [])
    await context.close()
  })

  it('an import with a bad row says where, imports nothing; the corrected workbook imports', async () => {
    const { context, page, errors } = await newPage(browser, server.url, DESK)
    await deskLogin(page)
    await page.goto('/d/customers')
    await page.getByTestId('customer-table').locator('.el-table__row').first().waitFor()
    const before = await page.getByTestId('customer-total').innerText()

    await page.getByTestId('import-open').click()
    const dialog = page.getByTestId('import-dialog')
    await dialog.getByText('按模板填写').waitFor()
    assert.equal(await dialog.getByTestId('import-template').getAttribute('href'), '/api/archive/template.xlsx')
    const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    await dialog.locator('input[type="file"]').setInputFiles({ name: '前海物流档案.xlsx', mimeType: xlsxType, buffer: importBook(true) })
    const problems = page.getByTestId('import-problems')
    await problems.locator('.el-table__row').first().waitFor()
    assert.equal((await page.getByTestId('import-summary').locator('.el-alert__title').innerText()).trim(), '共 1 处错误，未导入任何数据')
    const cells = (await problems.locator('.el-table__row').first().locator('td').allInnerTexts()).map((s) => s.trim())
    assert.deepEqual(cells.slice(1), ['联系人', '3', '电话', '12345', '电话号码格式不正确'])
    assert.ok(await page.getByTestId('import-commit').isDisabled())
    await page.waitForTimeout(300) // the dialog's opening animation
    await shot(page, 'archive-import-errors')

    // Nothing was imported.
    const res = await page.request.get('/api/customers?q=%E8%87%AA%E8%B4%B8')
    assert.equal((await res.json()).total, 0)

    // The corrected file: checked, then imported.
    await dialog.locator('input[type="file"]').setInputFiles({ name: '前海物流档案.xlsx', mimeType: xlsxType, buffer: importBook(false) })
    await page.getByTestId('import-result').waitFor()
    assert.match(await page.getByTestId('import-result').innerText(), /检查通过/)
    await page.getByTestId('import-commit').click()
    await page.getByTestId('import-result').filter({ hasText: '导入完成' }).waitFor()
    const counts = (await dialog.locator('.imp-counts').innerText()).replace(/\s+/g, ' ')
    assert.equal(counts, '1 客户 1 场地 2 联系人 1 合同 1 设备')
    await page.getByTestId('import-close').click()
    await dialog.waitFor({ state: 'hidden' })
    await page.waitForFunction((b) => document.querySelector('[data-testid="customer-total"]')?.textContent !== b, before)
    await page.getByTestId('customer-search').fill('自贸')
    await page.getByTestId('customer-table').locator('.el-table__row', { hasText: '深圳市前海蛇口自贸物流有限公司' }).waitFor()
    assert.deepEqual(errors.filter((e) => !expected(e)), [])
    await context.close()
  })
})
