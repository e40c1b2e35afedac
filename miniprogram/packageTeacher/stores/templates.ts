import { makeAutoObservable, runInAction } from 'mobx-miniprogram';
import type { ReviewTemplate } from '../../services/api-types';
import { teacherApi } from '../services/teacher-api';

/** The teacher's quick replies, shared by the review composer and the template manager. */
export class TemplatesStore {
  items: ReviewTemplate[] = [];
  loaded = false;

  constructor() {
    makeAutoObservable(this);
  }

  /** Throws ApiError. */
  async load(): Promise<void> {
    const { items } = await teacherApi.templates();
    runInAction(() => {
      this.items = items;
      this.loaded = true;
    });
  }

  /** Throws ApiError. */
  async add(text: string): Promise<void> {
    const template = await teacherApi.addTemplate(text);
    runInAction(() => {
      this.items = [...this.items, template];
    });
  }

  /** Throws ApiError. */
  async remove(id: number): Promise<void> {
    await teacherApi.deleteTemplate(id);
    runInAction(() => {
      this.items = this.items.filter((t) => t.id !== id);
    });
  }
}

export const templatesStore = new TemplatesStore();
