import { headerText } from './header-text';

/** A header value as Node hands it over: one character per byte. */
const asNodeReadsIt = (bytes: Buffer) => bytes.toString('latin1');

describe('headerText', () => {
  it('reads UTF-8 bytes as UTF-8', () => {
    expect(headerText(asNodeReadsIt(Buffer.from('Zürich, Süd', 'utf8')))).toBe('Zürich, Süd');
    expect(headerText(asNodeReadsIt(Buffer.from('Ελλάδα 😀', 'utf8')))).toBe('Ελλάδα 😀');
  });

  it('keeps bytes that are not UTF-8 as Latin-1, and ASCII as it is', () => {
    expect(headerText(asNodeReadsIt(Buffer.from('Z\u00fcrich', 'latin1')))).toBe('Zürich');
    expect(headerText(asNodeReadsIt(Buffer.from([0x41, 0xc3, 0x28])))).toBe('A\u00c3(');
    expect(headerText('acme')).toBe('acme');
  });
});
