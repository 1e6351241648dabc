import { sizeBytes } from './size';

describe('sizeBytes', () => {
  it.each([
    ['1048576', 1_048_576],
    ['512kb', 524_288],
    ['256mb', 268_435_456],
    ['1.5 GB', 1_610_612_736],
    ['10b', 10],
  ])('reads %s', (text, bytes) => {
    expect(sizeBytes(text)).toBe(bytes);
  });

  it.each(['', 'mb', '1tb', '-1mb', 'lots'])('refuses %p', (text) => {
    expect(() => sizeBytes(text)).toThrow('is not a size');
  });
});
