import type { Component } from 'vue';
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { Calendar, ChatLineSquare, DataAnalysis, Document, EditPen, Goods, Monitor, Tickets, User } from '@element-plus/icons-vue';
import ConsoleLayout from './layout/ConsoleLayout.vue';
import { hasRole, signedIn, type StaffRole } from './session';

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    /** Who may open the page (any of them); none: every staff member. */
    roles?: StaffRole[];
    /** Shown in the side menu with this icon. */
    menuIcon?: Component;
  }
}

/**
 * The console's pages. A new page is one entry here (its menu item comes with it) and one
 * component under pages/.
 */
const pages: RouteRecordRaw[] = [
  { path: 'cohorts', name: 'cohorts', component: () => import('./pages/CohortsPage.vue'), meta: { title: '打卡期', menuIcon: Calendar } },
  { path: 'cohorts/new', name: 'cohort-new', component: () => import('./pages/CohortEditPage.vue'), meta: { title: '新建打卡期', roles: ['operator'] } },
  { path: 'cohorts/:id/edit', name: 'cohort-edit', component: () => import('./pages/CohortEditPage.vue'), meta: { title: '编辑打卡期', roles: ['operator'] } },
  { path: 'cohorts/:id/members', name: 'members', component: () => import('./pages/MembersPage.vue'), meta: { title: '学员跟进' } },
  { path: 'cohorts/:id/announcements', name: 'announcements', component: () => import('./pages/AnnouncementsPage.vue'), meta: { title: '每日日程' } },
  { path: 'review', name: 'review', component: () => import('./pages/ReviewDeskPage.vue'), meta: { title: '点评台', roles: ['teacher'], menuIcon: EditPen } },
  { path: 'moderation', name: 'moderation', component: () => import('./pages/ModerationPage.vue'), meta: { title: '内容审核', menuIcon: ChatLineSquare } },
  { path: 'dashboard', name: 'dashboard', component: () => import('./pages/DashboardPage.vue'), meta: { title: '数据看板', roles: ['operator'], menuIcon: DataAnalysis } },
  { path: 'mall/products', name: 'products', component: () => import('./pages/ProductsPage.vue'), meta: { title: '商城商品', roles: ['operator'], menuIcon: Goods } },
  { path: 'mall/redemptions', name: 'redemptions', component: () => import('./pages/RedemptionsPage.vue'), meta: { title: '兑换订单', roles: ['operator'], menuIcon: Tickets } },
  { path: 'people', name: 'people', component: () => import('./pages/PeoplePage.vue'), meta: { title: '人员与积分', roles: ['operator'], menuIcon: User } },
  { path: 'audit', name: 'audit', component: () => import('./pages/AuditPage.vue'), meta: { title: '操作日志', roles: ['operator'], menuIcon: Document } },
  { path: 'sessions', name: 'sessions', component: () => import('./pages/SessionsPage.vue'), meta: { title: '登录设备', menuIcon: Monitor } },
];

export const menuPages = pages.filter((page) => page.meta?.menuIcon);

export const mayOpen = (meta: { roles?: StaffRole[] } | undefined) => !meta?.roles || meta.roles.some(hasRole);

export const router = createRouter({
  history: createWebHistory('/console/'),
  routes: [
    { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { title: '登录' } },
    { path: '/', component: ConsoleLayout, redirect: () => (hasRole('operator') ? '/cohorts' : hasRole('teacher') ? '/review' : '/cohorts'), children: pages },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.beforeEach((to) => {
  if (to.name === 'login') return signedIn.value ? '/' : true;
  if (!signedIn.value) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  if (!mayOpen(to.meta)) return '/';
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · 打卡积分运营后台` : '打卡积分运营后台';
});
