import { StatementGroup } from '../../store/statementGroup';

describe('a statement group', () => {
  test('calls made together run as one statement, each answered with its own result', async () => {
    const statements: number[][] = [];
    const group = new StatementGroup(async (inputs: readonly number[]) => {
      statements.push([...inputs]);
      return inputs.map((input) => input * 10);
    });
    expect(await Promise.all([1, 2, 3].map((input) => group.run(input)))).toEqual([10, 20, 30]);
    expect(statements).toEqual([[1, 2, 3]]);
  });

  test('calls made while a statement runs wait for the next one; a group holds at most maxGroup', async () => {
    const statements: number[][] = [];
    let release: () => void = () => undefined;
    const group = new StatementGroup(
      async (inputs: readonly number[]) => {
        statements.push([...inputs]);
        if (statements.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return [...inputs];
      },
      { maxGroup: 2 },
    );
    const first = group.run(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((input) => group.run(input));
    release();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3, 4]);
    expect(statements).toEqual([[1], [2, 3], [4]]);
  });

  test('when a group fails, each call is run alone: only the one that cannot succeed fails', async () => {
    const statements: number[][] = [];
    const group = new StatementGroup(async (inputs: readonly number[]) => {
      statements.push([...inputs]);
      if (inputs.includes(13)) throw new Error('thirteen is refused');
      return [...inputs];
    });
    const results = await Promise.allSettled([12, 13, 14].map((input) => group.run(input)));
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as Error).message))).toEqual([
      12,
      'thirteen is refused',
      14,
    ]);
    expect(statements).toEqual([[12, 13, 14], [12], [13], [14]]);
  });
});
