import { ComponentWithStore } from 'mobx-miniprogram-bindings';
import { messageOf } from '../../../utils/errors';
import { toastError } from '../../../utils/toast';
import { templatesStore, type TemplatesStore } from '../../stores/templates';

/** Add and delete the teacher's quick replies. */
ComponentWithStore({
  storeBindings: {
    store: templatesStore,
    fields: {
      templates: (store: TemplatesStore) => store.items,
      loaded: (store: TemplatesStore) => store.loaded,
    },
    actions: [],
  },
  data: {
    draft: '',
    busy: false,
  },
  methods: {
    async onLoad() {
      try {
        await templatesStore.load();
      } catch (error) {
        toastError(this, messageOf(error));
      }
    },
    async onPullDownRefresh() {
      await this.onLoad();
      wx.stopPullDownRefresh();
    },
    onDraftInput(event: { detail: { value: string } }) {
      this.setData({ draft: event.detail.value });
    },
    async onAdd() {
      const text = (this.data.draft as string).trim();
      if (!text || this.data.busy) return;
      this.setData({ busy: true });
      try {
        await templatesStore.add(text);
        this.setData({ draft: '' });
      } catch (error) {
        toastError(this, messageOf(error));
      } finally {
        this.setData({ busy: false });
      }
    },
    async onDelete(event: WechatMiniprogram.TouchEvent) {
      try {
        await templatesStore.remove(Number(event.currentTarget.dataset.id));
      } catch (error) {
        toastError(this, messageOf(error));
      }
    },
  },
});
