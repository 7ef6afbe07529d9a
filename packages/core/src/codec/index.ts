export * from './packets.ts';
