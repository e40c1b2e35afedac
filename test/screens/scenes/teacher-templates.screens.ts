import { ok } from '../../miniprogram/helpers/fake-server';
import { templates } from '../support/fixtures';
import { screens } from '../support/scene';

screens({
  name: 'teacher-templates',
  page: 'packageTeacher/pages/templates/index',
  title: '快捷回复',
  role: 'teacher',
  states: [
    { name: 'normal', caption: '我的快捷回复', server: { 'GET /teacher/templates': () => ok({ items: templates() }) } },
    { name: 'empty', caption: '还没有快捷回复', server: { 'GET /teacher/templates': () => ok({ items: [] }) } },
  ],
});
