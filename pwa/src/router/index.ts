import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import type { Role } from '@/api/types'
import type { MessageSchema } from '@/i18n'

type MenuKey = keyof MessageSchema['desktop']['menu']

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean
    /** The role whose pages these are; visiting one switches to it. */
    role?: Role
    /** i18n key of the page title. */
    title?: string
    /** Desk pages listed in the side menu, with their icon name. */
    menu?: { key: MenuKey; icon: string }
    /** The page is not built yet: show the "即将上线" placeholder. */
    comingSoon?: boolean
    /** The side-menu entry a page without its own belongs under. */
    activeMenu?: string
  }
}

// Phone and desk pages are separate lazy chunks: a technician never loads
// Element Plus, the desk never loads Vant.
const MobileLayout = () => import('@/views/mobile/MobileLayout.vue')
const DesktopLayout = () => import('@/views/desktop/DesktopLayout.vue')
const ComingSoonPage = () => import('@/views/desktop/ComingSoonPage.vue')

/** A side-menu entry of the desk layout. */
export interface DeskMenuItem {
  role: Role
  key: MenuKey
  icon: string
  path: string
}

export const deskMenu: DeskMenuItem[] = []

function deskPage(role: Role, key: MenuKey, icon: string, component = ComingSoonPage): RouteRecordRaw {
  deskMenu.push({ role, key, icon, path: `/d/${key}` })
  return {
    path: key,
    name: `d-${key}`,
    component,
    meta: { role, title: `desktop.menu.${key}`, menu: { key, icon }, comingSoon: component === ComingSoonPage },
  }
}

export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/LoginPage.vue'),
    meta: { public: true, title: 'login.title' },
  },
  // Sent on to the active role's home by the guard.
  { path: '/', name: 'home', component: { render: () => null } },
  {
    path: '/m',
    component: MobileLayout,
    meta: { role: 'technician' },
    children: [
      { path: '', redirect: { name: 'm-tickets' } },
      {
        path: 'tickets',
        name: 'm-tickets',
        component: () => import('@/views/mobile/TicketsPage.vue'),
        meta: { title: 'mobile.tickets.title' },
      },
      {
        path: 'tickets/:id',
        name: 'm-ticket',
        component: () => import('@/views/mobile/TicketPage.vue'),
        meta: { title: 'tech.ticket.title' },
      },
      {
        path: 'tickets/:id/checklist/:cid',
        name: 'm-checklist',
        component: () => import('@/views/mobile/ChecklistPage.vue'),
        meta: { title: 'tech.checklist.title' },
      },
      {
        path: 'tickets/:id/sign',
        name: 'm-sign',
        component: () => import('@/views/mobile/SignPage.vue'),
        meta: { title: 'tech.acceptance.title' },
      },
      {
        path: 'scan',
        name: 'm-scan',
        component: () => import('@/views/mobile/ScanPage.vue'),
        meta: { title: 'mobile.scan.title' },
      },
      {
        path: 'me',
        name: 'm-me',
        component: () => import('@/views/mobile/MePage.vue'),
        meta: { title: 'mobile.me.title' },
      },
    ],
  },
  {
    path: '/d',
    component: DesktopLayout,
    children: [
      deskPage('desk', 'customers', 'Files', () => import('@/views/desktop/archive/CustomersPage.vue')),
      {
        path: 'customers/:id',
        name: 'd-customer',
        component: () => import('@/views/desktop/archive/CustomerPage.vue'),
        meta: { role: 'desk', title: 'desktop.menu.customers', activeMenu: '/d/customers' },
      },
      {
        path: 'contracts/:id',
        name: 'd-contract',
        component: () => import('@/views/desktop/archive/ContractPage.vue'),
        meta: { role: 'desk', title: 'archive.contract.pageTitle', activeMenu: '/d/customers' },
      },
      deskPage('desk', 'dispatch', 'Van', () => import('@/views/desktop/desk/DispatchPage.vue')),
      {
        path: 'intake',
        name: 'd-intake',
        component: () => import('@/views/desktop/desk/IntakePage.vue'),
        meta: { role: 'desk', title: 'desk.intake.title', activeMenu: '/d/dispatch' },
      },
      {
        path: 'tickets/:id',
        name: 'd-ticket',
        component: () => import('@/views/desktop/desk/TicketPage.vue'),
        meta: { role: 'desk', title: 'desk.ticket.title', activeMenu: '/d/dispatch' },
      },
      {
        path: 'conflicts',
        name: 'd-conflicts',
        component: () => import('@/views/desktop/desk/ConflictsPage.vue'),
        meta: { role: 'desk', title: 'desk.conflicts.title', activeMenu: '/d/dispatch' },
      },
      deskPage('desk', 'callbacks', 'PhoneFilled', () => import('@/views/desktop/desk/CallbacksPage.vue')),
      deskPage('desk', 'stats', 'DataAnalysis', () => import('@/views/desktop/desk/StatsPage.vue')),
      deskPage('manager', 'queue', 'List', () => import('@/views/desktop/desk/QueuePage.vue')),
      {
        path: 'queue/:id',
        name: 'd-queue-ticket',
        component: () => import('@/views/desktop/desk/TicketPage.vue'),
        meta: { role: 'manager', title: 'desk.ticket.title', activeMenu: '/d/queue' },
      },
      deskPage('finance', 'fees', 'Money'),
      deskPage('admin', 'users', 'User', () => import('@/views/desktop/UsersPage.vue')),
      deskPage('admin', 'company', 'OfficeBuilding', () => import('@/views/desktop/CompanyPage.vue')),
      deskPage('admin', 'templates', 'Tickets', () => import('@/views/desktop/TemplatesPage.vue')),
    ],
  },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
})
