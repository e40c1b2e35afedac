import { config } from '../../../miniprogram/config';
import { storage } from './storage';

const defaultConfig = { ...config };

beforeEach(() => {
  storage.clear();
  Object.assign(config, defaultConfig);
});
